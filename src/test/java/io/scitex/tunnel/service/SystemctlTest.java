package io.scitex.tunnel.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.testing.FakeRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemctlTest {
    private static final String TWO_UNITS = """
            Id=autossh-tunnel-2222.service
            LoadState=loaded
            ActiveState=active
            SubState=running
            StateChangeTimestamp=@1700000000
            NRestarts=3

            Id=autossh-tunnel-2223.service
            LoadState=loaded
            ActiveState=failed
            SubState=failed
            StateChangeTimestamp=
            NRestarts=0
            """;

    @Test
    void parseShowKeysBlocksById() {
        Map<String, Map<String, String>> units = Systemctl.parseShow(TWO_UNITS);

        assertThat(units).containsOnlyKeys("autossh-tunnel-2222.service", "autossh-tunnel-2223.service");
        assertThat(units.get("autossh-tunnel-2222.service")).containsEntry("ActiveState", "active")
                .containsEntry("SubState", "running").containsEntry("StateChangeTimestamp", "@1700000000")
                .containsEntry("NRestarts", "3");
        assertThat(units.get("autossh-tunnel-2223.service")).containsEntry("ActiveState", "failed")
                .containsEntry("StateChangeTimestamp", "");
    }

    @Test
    void parseShowKeepsUnitOrder() {
        assertThat(Systemctl.parseShow(TWO_UNITS).keySet()).containsExactly("autossh-tunnel-2222.service",
                "autossh-tunnel-2223.service");
    }

    @Test
    void parseShowReadsLastBlockWithoutTrailingNewline() {
        assertThat(Systemctl.parseShow("Id=a.service\nActiveState=active")).containsOnlyKeys("a.service");
    }

    @Test
    void parseShowDropsBlocksWithoutId() {
        assertThat(Systemctl.parseShow("ActiveState=active\n\nId=b.service\n")).containsOnlyKeys("b.service");
    }

    @Test
    void parseShowKeepsEqualsSignsInValues() {
        assertThat(Systemctl.parseShow("Id=a.service\nEnvironment=A=1 B=2\n").get("a.service"))
                .containsEntry("Environment", "A=1 B=2");
    }

    @Test
    void parseShowOfNothingIsEmpty() {
        assertThat(Systemctl.parseShow("")).isEmpty();
        assertThat(Systemctl.parseShow("\n\n\n")).isEmpty();
    }

    @Test
    void showReadsAllUnitsWithOneCommand() throws Exception {
        FakeRunner runner = FakeRunner.succeeding(TWO_UNITS);

        Map<String, Map<String, String>> units = new Systemctl(runner).show(
                List.of("autossh-tunnel-2222.service", "autossh-tunnel-2223.service"), ServiceManager.STATUS_PROPERTIES);

        assertThat(units).hasSize(2);
        assertThat(runner.commands()).containsExactly(List.of("systemctl", "show", "--timestamp=unix", "-p",
                "Id,LoadState,ActiveState,SubState,StateChangeTimestamp,NRestarts,ExecMainStartTimestamp",
                "autossh-tunnel-2222.service",
                "autossh-tunnel-2223.service"));
    }

    @Test
    void showOfNoUnitsRunsNothing() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("");

        assertThat(new Systemctl(runner).show(List.of(), ServiceManager.STATUS_PROPERTIES)).isEmpty();
        assertThat(runner.commands()).isEmpty();
    }

    @Test
    void failingCommandThrowsWithSystemctlsFirstErrorLine() {
        FakeRunner runner = FakeRunner.failing(1, "\nFailed to enable unit: Unit file x.service does not exist.\nmore\n");

        assertThatThrownBy(() -> new Systemctl(runner).enable("x.service"))
                .isInstanceOf(Systemctl.SystemctlException.class)
                .hasMessage("systemctl enable --quiet x.service failed: Failed to enable unit: Unit file x.service"
                        + " does not exist.");
    }

    @Test
    void lifecycleCommandsRunSystemctl() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("");
        Systemctl systemctl = new Systemctl(runner);

        systemctl.daemonReload();
        systemctl.enable("u.service");
        systemctl.restart("u.service");

        assertThat(runner.commands()).containsExactly(List.of("systemctl", "daemon-reload"),
                List.of("systemctl", "enable", "--quiet", "u.service"), List.of("systemctl", "restart", "u.service"));
    }

    @Test
    void disableNowAndResetFailedReturnFailuresInsteadOfThrowing() throws Exception {
        FakeRunner runner = FakeRunner.failing(5, "Unit u.service not loaded.");
        Systemctl systemctl = new Systemctl(runner);

        CommandResult disabled = systemctl.disableNow("u.service");
        CommandResult reset = systemctl.resetFailed("u.service");

        assertThat(disabled.succeeded()).isFalse();
        assertThat(reset.exitCode()).isEqualTo(5);
        assertThat(runner.commands()).containsExactly(List.of("systemctl", "disable", "--now", "--quiet", "u.service"),
                List.of("systemctl", "reset-failed", "u.service"));
    }

    @Test
    void aUsersManagerIsDrivenWithUserAndTheirRuntimeDirectory() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("");
        Systemctl systemctl = new Systemctl(runner, ServiceScope.USER, Path.of("/run/user/1003"));

        systemctl.enable("autossh-tunnel-2222.service");

        assertThat(runner.commands()).containsExactly(List.of("env", "XDG_RUNTIME_DIR=/run/user/1003", "systemctl",
                "--user", "enable", "--quiet", "autossh-tunnel-2222.service"));
    }

    @Test
    void aFailingUserSystemctlIsNamedWithoutTheEnvPrefix() {
        FakeRunner runner = FakeRunner.failing(1, "Failed to connect to bus: No medium found");
        Systemctl systemctl = new Systemctl(runner, ServiceScope.USER, Path.of("/run/user/1003"));

        assertThatThrownBy(systemctl::daemonReload)
                .hasMessage("systemctl --user daemon-reload failed: Failed to connect to bus: No medium found");
    }

    @Test
    void aUsersManagerThatDoesNotRunSaysHowItWould() {
        Systemctl systemctl = new Systemctl(FakeRunner.succeeding(""), ServiceScope.USER, Path.of("/nonexistent/run"));

        assertThat(systemctl.isRunning()).isFalse();
        assertThat(systemctl.notRunningMessage()).startsWith("your systemd user manager is not running (no"
                + " /nonexistent/run/systemd/private)").contains("loginctl enable-linger");
    }
}
