package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TunnelUnitTest {
    private static final Path AUTOSSH = Path.of("/usr/bin/autossh");
    private static final Path KNOWN_HOSTS = Path.of("/etc/scitex-tunnel/2222/known_hosts");

    private static TunnelSpec spec(String bastion, String key) {
        return TunnelSpec.builder().port(2222).bastion(BastionAddress.parse(bastion))
                .target(TargetAddress.LOCAL_SSHD).key(Path.of(key)).serviceUser("alice").build();
    }

    private static String render(TunnelSpec spec) {
        return TunnelUnit.render(spec, UnitProgram.autossh(AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS),
                AutosshCommandLine.ENVIRONMENT), "0.1.0");
    }

    private static final String SAMPLE = render(spec("tunnel@bastion.example.com", "/home/alice/.ssh/id_ed25519"));

    @Test
    void startsOnceTheNetworkIsOnline() {
        assertThat(SAMPLE.lines()).contains("Wants=network-online.target", "After=network-online.target");
    }

    @Test
    void neverHitsAStartLimit() {
        assertThat(SAMPLE.lines()).contains("StartLimitIntervalSec=0");
        assertThat(UnitFile.parse(SAMPLE).value("Unit", "StartLimitIntervalSec")).contains("0");
    }

    @Test
    void restartsForeverAfterAShortPause() {
        UnitFile unit = UnitFile.parse(SAMPLE);

        assertThat(unit.value("Service", "Restart")).contains("always");
        assertThat(unit.value("Service", "RestartSec")).contains(Integer.toString(TunnelUnit.RESTART_SECONDS));
        assertThat(TunnelUnit.RESTART_SECONDS).isPositive();
    }

    @Test
    void runsAsTheServiceUser() {
        assertThat(UnitFile.parse(SAMPLE).value("Service", "User")).contains("alice");
        assertThat(UnitFile.parse(SAMPLE).value("Service", "Type")).contains("simple");
    }

    @Test
    void setsAutosshEnvironment() {
        assertThat(UnitFile.parse(SAMPLE).values("Service", "Environment"))
                .containsExactly("AUTOSSH_GATETIME=0", "AUTOSSH_POLL=10");
    }

    @Test
    void execStartRunsAutosshWithoutMonitorPortInForeground() {
        assertThat(SAMPLE.lines().filter(line -> line.startsWith("ExecStart="))).singleElement().asString()
                .startsWith("ExecStart=/usr/bin/autossh -M 0 -N ");
    }

    @Test
    void execStartReadsBackAsTheAutosshArgv() {
        TunnelSpec spec = spec("tunnel@bastion.example.com", "/home/alice/.ssh/id_ed25519");

        assertThat(UnitFile.parse(render(spec)).execStart()).contains(AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS));
    }

    @Test
    void hostileKeyPathReadsBackUnchanged() {
        TunnelSpec spec = spec("tunnel@bastion.example.com", "/keys/a b\"c'd\\e%n$HOME;#[Service]/id");

        List<String> argv = UnitFile.parse(render(spec)).execStart().orElseThrow();

        assertThat(argv).isEqualTo(AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS))
                .contains("IdentityFile=\"/keys/a b\\\"c'd\\e%%n$HOME;#[Service]/id\"");
    }

    @Test
    void leavesTheServiceUsersIpcObjectsAloneAndKeepsItsOwnApart() {
        UnitFile unit = UnitFile.parse(SAMPLE);

        assertThat(unit.value("Service", "RemoveIPC")).as("would delete all of alice's IPC objects at each stop")
                .isEmpty();
        assertThat(unit.value("Service", "PrivateIPC")).contains("yes");
    }

    @Test
    void isEnabledForMultiUserTarget() {
        assertThat(UnitFile.parse(SAMPLE).value("Install", "WantedBy")).contains("multi-user.target");
    }

    @Test
    void describesBastionPortAndTarget() {
        assertThat(UnitFile.parse(SAMPLE).value("Unit", "Description"))
                .contains("scitex-tunnel: tunnel@bastion.example.com port 2222 -> localhost:22");
    }

    @Test
    void escapesPercentOfScopedIpv6BastionInDescription() {
        String unit = render(spec("[fe80::1%eth0]:2200", "/k"));

        assertThat(unit.lines()).contains("Description=scitex-tunnel: [fe80::1%%eth0]:2200 port 2222 -> localhost:22");
    }

    @Test
    void headerCommentNamesVersionAndHowToRemove() {
        assertThat(SAMPLE.lines().findFirst()).hasValueSatisfying(first -> assertThat(first)
                .startsWith("# Written by scitex-tunnel 0.1.0.").contains("scitex-tunnel remove -p 2222"));
    }

    @Test
    void hasUnitServiceAndInstallSectionsInOrder() {
        assertThat(SAMPLE.lines().filter(line -> line.startsWith("["))).containsExactly("[Unit]", "[Service]",
                "[Install]");
    }

    private static final Path USER_PINS = Path.of("/home/alice/.config/scitex-tunnel/2222");

    private static String renderForUser(TunnelSpec spec) {
        return TunnelUnit.render(spec, UnitProgram.autossh(AutosshCommandLine.argv(AUTOSSH, spec,
                USER_PINS.resolve("known_hosts")), AutosshCommandLine.ENVIRONMENT), "0.1.0", ServiceScope.USER,
                Optional.of(USER_PINS));
    }

    @Test
    void aUserUnitNamesNoUserAndIsWantedByTheUsersDefaultTarget() {
        String unit = renderForUser(spec("tunnel@bastion.example.com", "/home/alice/.ssh/id_ed25519"));

        assertThat(unit).doesNotContain("User=", "network-online.target", "multi-user.target")
                .contains("\n[Install]\nWantedBy=default.target\n");
    }

    @Test
    void aUserUnitBindsItsPinsIntoTheHiddenHome() {
        String unit = renderForUser(spec("tunnel@bastion.example.com", "/home/alice/.ssh/id_ed25519"));

        assertThat(unit.lines()).contains("ProtectHome=tmpfs", "BindReadOnlyPaths=\"/home/alice/.ssh/id_ed25519\"",
                "BindReadOnlyPaths=\"/home/alice/.config/scitex-tunnel/2222\"");
    }

    @Test
    void aUserUnitKeepsOnlyWhatAUsersManagerEnforces() {
        List<String> unit = renderForUser(spec("tunnel@bastion.example.com", "/home/alice/.ssh/id_ed25519")).lines()
                .toList();

        assertThat(unit).contains("PrivateUsers=yes", "ProtectSystem=strict", "PrivateTmp=yes", "PrivateDevices=yes",
                "CapabilityBoundingSet=", "SystemCallFilter=@system-service", "MemoryDenyWriteExecute=yes")
                .doesNotContainAnyElementsOf(TunnelUnit.NOT_FOR_USER_MANAGERS);
        assertThat(SAMPLE.lines()).as("the system unit keeps them all").containsAll(TunnelUnit.NOT_FOR_USER_MANAGERS);
    }
}
