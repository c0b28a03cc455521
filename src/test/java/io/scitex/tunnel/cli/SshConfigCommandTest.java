package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.TunnelUnits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshConfigCommandTest {
    @TempDir
    Path root;
    private TunnelUnits units;
    private Path hostKey;

    @BeforeEach
    void machine() throws Exception {
        units = new TunnelUnits(Files.createDirectories(root.resolve("units")));
        hostKey = Path.of(OpenSsh.generate(Files.createDirectories(root.resolve("etc")).resolve("ssh_host_ed25519_key"),
                "ed25519", "") + ".pub");
    }

    private Cli.Run run(String... args) {
        return new Cli(root).run(args);
    }

    @Test
    void aNativeEngineTunnelsBastionBecomesTheJump() {
        units.nativeEngine(TunnelUnits.spec(2222, "tunnel@bastion.example.com:2022", Path.of("/k"), "root"),
                Path.of("/kh"), Optional.empty());

        Cli.Run run = run("ssh-config", "-p", "2222", "--name", "gpu01", "--login", "alice", "--host-key", hostKey.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Host gpu01\n", "    HostName localhost\n", "    Port 2222\n", "    User alice\n",
                "    ProxyJump tunnel@bastion.example.com:2022\n", "    HostKeyAlias gpu01\n");
        assertThat(run.err()).contains("~/.ssh/config.d/gpu01", "--known-hosts", "gpu01 ssh-ed25519 ");
    }

    @Test
    void anAutosshTunnelAndAPythonToolTunnelToo() {
        units.autossh(TunnelUnits.spec(2223, "user@bastion.example.com", Path.of("/k"), "root"), Path.of("/kh"));
        units.python(2224, "-M 0 -o \"ServerAliveInterval 30\" -NR 2224:localhost:22 ops@jump.example.org -p 2200"
                + " -i /root/.ssh/id_rsa");

        assertThat(run("ssh-config", "-p", "2223", "--name", "a", "--host-key", hostKey.toString()).out())
                .contains("    ProxyJump user@bastion.example.com\n");
        assertThat(run("ssh-config", "-p", "2224", "--name", "b", "--host-key", hostKey.toString()).out())
                .contains("    ProxyJump ops@jump.example.org:2200\n", "    Port 2224\n");
    }

    @Test
    void knownHostsAndJsonForScripts() throws Exception {
        units.autossh(TunnelUnits.spec(2223, "user@bastion.example.com", Path.of("/k"), "root"), Path.of("/kh"));
        String pinned = "gpu01 " + String.join(" ", Files.readString(hostKey).strip().split(" ", 3)[0],
                Files.readString(hostKey).strip().split(" ", 3)[1]);

        Cli.Run line = run("ssh-config", "-p", "2223", "--name", "gpu01", "--host-key", hostKey.toString(), "--known-hosts");
        assertThat(line.out()).isEqualTo(pinned + "\n");
        assertThat(line.err()).isEmpty();

        Cli.Run json = run("ssh-config", "-p", "2223", "--name", "gpu01", "--host-key", hostKey.toString(), "--json");
        JsonNode node = new ObjectMapper().readTree(json.out());
        assertThat(node.get("known_hosts").asText()).isEqualTo(pinned);
        assertThat(node.get("proxy_jump").asText()).isEqualTo("user@bastion.example.com");
        assertThat(node.get("ssh_config").asText()).startsWith("# gpu01 through");
        assertThat(node.get("login").isNull()).isTrue();
        assertThat(json.err()).isEmpty();
    }

    @Test
    void noTunnelOnThePortIsExitFour() {
        run("ssh-config", "-p", "2299", "--host-key", hostKey.toString()).isError(ExitCode.NO_SUCH_TUNNEL);
    }

    @Test
    void badInputIsOneLine() {
        units.autossh(TunnelUnits.spec(2223, "user@bastion.example.com", Path.of("/k"), "root"), Path.of("/kh"));

        run("ssh-config", "-p", "2223", "--name", "a*", "--host-key", hostKey.toString()).isUsageError();
        run("ssh-config", "-p", "2223", "--known-hosts", "--json").isUsageError();
        run("ssh-config", "-p", "2223", "--host-key", root.resolve("absent.pub").toString()).isError(ExitCode.FAILED)
                .errContains("cannot read host key");
    }
}
