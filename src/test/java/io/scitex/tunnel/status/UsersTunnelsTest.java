package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.Linger;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.testing.FakeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTunnelsTest {
    private static final ToolInstallation TOOL = new ToolInstallation(Path.of("/opt/st/bin/scitex-tunnel"),
            Path.of("/usr/lib/jvm/java-17"));
    private static final String ONE_TUNNEL = """
            [ {
              "port" : 2265, "unit" : "autossh-tunnel-2265.service", "scope" : "user", "owner" : "pat",
              "bastion" : "user@bastion.example.com", "target" : "localhost:22", "state" : "active",
              "sub_state" : "running", "since" : "2026-12-06T21:06:12Z", "restarts" : 1, "up" : true,
              "health" : "up", "detail" : "reached", "checked_at" : "2026-12-06T21:07:00Z",
              "last_error" : "refused", "last_error_at" : "2026-12-06T21:05:00Z", "probe_seconds" : 0.1,
              "service_started" : "2026-12-06T21:06:12Z", "drop_ins" : [ ]
            } ]
            """;

    @TempDir
    Path lingering;

    @Test
    void eachUsersOwnStatusRunsWithTheirRuntimeDirectoryAndThisInstallation() {
        ServiceUser pat = new ServiceUser("pat", 1003, Path.of("/home/pat"));

        assertThat(UsersTunnels.command(pat, TOOL, Optional.of(Duration.ofSeconds(3)))).containsExactly("env",
                "XDG_RUNTIME_DIR=/run/user/1003", "SCITEX_TUNNEL_JAVA=/usr/lib/jvm/java-17/bin/java",
                "SCITEX_TUNNEL_NO_BUILD=1", "/opt/st/bin/scitex-tunnel", "status", "--user", "--json", "--timeout", "3");
        assertThat(UsersTunnels.command(pat, TOOL, Optional.empty())).endsWith("--json", "--no-probe");
    }

    @Test
    void theirJsonIsReadBack() {
        TunnelStatus tunnel = UsersTunnels.parse(ONE_TUNNEL).get(0);

        assertThat(tunnel.port()).isEqualTo(2265);
        assertThat(tunnel.unit()).isEqualTo("autossh-tunnel-2265.service");
        assertThat(tunnel.bastion()).hasValue("user@bastion.example.com");
        assertThat(tunnel.state() + " " + tunnel.subState()).isEqualTo("active running");
        assertThat(tunnel.restarts()).isEqualTo(1);
        assertThat(tunnel.health().health()).isEqualTo(Health.UP);
        assertThat(tunnel.health().lastError().orElseThrow().time()).isEqualTo(Instant.parse("2026-12-06T21:05:00Z"));
    }

    @Test
    void anythingButStatusJsonIsRefused() {
        assertThatThrownBy(() -> UsersTunnels.parse("{\"port\": 1}")).isInstanceOf(TunnelException.class);
        assertThatThrownBy(() -> UsersTunnels.parse("not json")).isInstanceOf(TunnelException.class);
        assertThatThrownBy(() -> UsersTunnels.parse("[{\"port\": 70000}]")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aUserWhoseStatusFailsIsNamedWithTheReasonEscapedAndTheOthersStillListed() throws Exception {
        Files.createFile(lingering.resolve("pat"));
        Files.createFile(lingering.resolve("zed"));
        FakeRunner runner = new FakeRunner(argv -> {
            if (argv.get(0).equals("getent")) {
                String name = argv.get(2);
                return new CommandResult(argv, 0, name + ":x:" + (name.equals("pat") ? 1003 : 1004) + ":1003::/home/"
                        + name + ":/bin/bash\n", "");
            }
            return argv.contains("XDG_RUNTIME_DIR=/run/user/1003") ? new CommandResult(argv, 3, ONE_TUNNEL, "")
                    : new CommandResult(argv, 1, "", "scitex-tunnel: no manager\u001b[2J\n");
        });
        UsersTunnels users = new UsersTunnels(new Linger(runner, lingering), new Users(runner, Map.of()), runner,
                () -> Optional.of(TOOL));

        List<UsersTunnels.Owned> all = users.all(Optional.empty());

        assertThat(all).extracting(UsersTunnels.Owned::owner).containsExactly("pat", "zed");
        assertThat(all.get(0).tunnels()).extracting(TunnelStatus::port).containsExactly(2265);
        assertThat(all.get(1).problem()).hasValue("scitex-tunnel: no manager\\x1b[2J");
    }

    @Test
    void withoutALauncherItSaysHowToRunIt() {
        UsersTunnels users = new UsersTunnels(new Linger(FakeRunner.succeeding(""), lingering),
                new Users(FakeRunner.succeeding(""), Map.of()), FakeRunner.succeeding(""), Optional::empty);

        assertThatThrownBy(() -> users.all(Optional.empty())).isInstanceOf(TunnelException.class)
                .hasMessageContaining("no scitex-tunnel launcher was found");
    }
}
