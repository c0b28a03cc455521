package io.scitex.tunnel.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.setup.DeclaredTunnel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunnelsFileTest {
    private static final Path FILE = Path.of("tunnels.toml");
    private static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    @Test
    void defaultsApplyToEveryTunnelAndTunnelsOverrideThem() {
        TunnelsFile file = TunnelsFile.parse("""
                [defaults]
                bastion = "tunnel@bastion.example.org"
                key = "/home/alice/.ssh/scitex-tunnel_ed25519"
                engine = "native"
                user = "alice"
                host_keys = ["%s"]

                [[tunnel]]
                port = 2222                 # the host's sshd

                [[tunnel]]
                port = 8888
                target = "localhost:8888"   # Jupyter
                engine = "autossh"
                wait = 30
                check = false
                rollback = true
                """.formatted(HOST_KEY), FILE);

        assertThat(file.tunnels()).extracting(DeclaredTunnel::port).containsExactly(2222, 8888);
        DeclaredTunnel ssh = file.tunnels().get(0);
        assertThat(ssh.request().bastion()).isEqualTo("tunnel@bastion.example.org");
        assertThat(ssh.request().key()).isEqualTo("/home/alice/.ssh/scitex-tunnel_ed25519");
        assertThat(ssh.request().engine()).isEqualTo(Engine.NATIVE);
        assertThat(ssh.request().target()).isEmpty();
        assertThat(ssh.request().networkChecks()).isTrue();
        assertThat(ssh.user()).contains("alice");
        assertThat(ssh.hostKeys()).singleElement().satisfies(k -> assertThat(k.type()).isEqualTo("ssh-ed25519"));
        assertThat(ssh.origin()).isEqualTo("tunnels.toml:8");
        DeclaredTunnel jupyter = file.tunnels().get(1);
        assertThat(jupyter.request().target()).contains("localhost:8888");
        assertThat(jupyter.request().engine()).isEqualTo(Engine.AUTOSSH);
        assertThat(jupyter.request().verifyWithin()).isEqualTo(Duration.ofSeconds(30));
        assertThat(jupyter.request().networkChecks()).isFalse();
        assertThat(jupyter.request().rollback()).isTrue();
        assertThat(jupyter.origin()).isEqualTo("tunnels.toml:11");
    }

    @Test
    void aTunnelWithoutKeyUsesItsDedicatedKeyAndTheInvokingUser() {
        DeclaredTunnel tunnel = TunnelsFile.parse("[[tunnel]]\nport = 2222\nbastion = \"b.example.org:2200\"\n", FILE)
                .tunnels().get(0);
        assertThat(tunnel.request().key()).isNull();
        assertThat(tunnel.user()).isEmpty();
        assertThat(tunnel.hostKeys()).isEmpty();
        assertThat(tunnel.request().engine()).isEqualTo(Engine.AUTOSSH);
    }

    @Test
    void aFileWithoutTunnelsDeclaresNone() {
        assertThat(TunnelsFile.parse("# nothing yet\n", FILE).tunnels()).isEmpty();
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() {
        assertProblem("""
                [defaults]
                bastion = "b.example.org"

                [[tunnel]]
                port = 2222
                prot = 2223
                """, "tunnels.toml:6: tunnel[1].prot: unknown key 'prot' (known: port, bastion");
    }

    @Test
    void anUnknownTableIsNamed() {
        assertProblem("[defaults]\nbastion = \"b\"\n\n[tunnels]\nport = 1\n",
                "tunnels.toml:4: tunnels: unknown key 'tunnels'");
    }

    @Test
    void anUnknownKeyInDefaultsIsNamed() {
        assertProblem("[defaults]\nbastion = \"b\"\nStrictHostKeyChecking = \"no\"\n",
                "tunnels.toml:3: defaults.StrictHostKeyChecking: unknown key");
    }

    @Test
    void aDuplicatePortNamesBothTunnels() {
        assertProblem("""
                [defaults]
                bastion = "b.example.org"
                [[tunnel]]
                port = 2222
                [[tunnel]]
                port = 8888
                [[tunnel]]
                port = 2222
                """, "tunnels.toml:8: tunnel[3].port: port 2222 is declared twice (also in tunnel[1], line 3)");
    }

    @Test
    void hostileBastionsAreRejectedAsOnTheCommandLine() {
        assertProblem("[[tunnel]]\nport = 2222\nbastion = \"-oProxyCommand=sh\"\n", "tunnels.toml:3: tunnel[1].bastion: ");
        assertProblem("[defaults]\nbastion = \"a b\"\n[[tunnel]]\nport = 2222\n", "tunnels.toml:2: defaults.bastion: ");
    }

    @Test
    void hostileTargetsAreRejectedAsOnTheCommandLine() {
        assertProblem("[[tunnel]]\nport = 2222\nbastion = \"b\"\ntarget = \"localhost:22 -R 0.0.0.0:1:x:1\"\n",
                "tunnels.toml:4: tunnel[1].target: ");
        assertProblem("[[tunnel]]\nport = 2222\nbastion = \"b\"\ntarget = \"host\\nExecStartPre=/bin/sh:22\"\n",
                "tunnels.toml:4: tunnel[1].target: ");
    }

    @Test
    void controlCharactersInPathsAreRejected() {
        assertProblem("[[tunnel]]\nport = 2222\nbastion = \"b\"\nkey = \"/k\\n[Service]\"\n",
                "tunnels.toml:4: tunnel[1].key: path '/k\\x0a[Service]' contains control characters");
    }

    @Test
    void badPortsAreRejected() {
        assertProblem("[[tunnel]]\nport = 70000\nbastion = \"b\"\n", "tunnels.toml:2: tunnel[1].port: ");
        assertProblem("[[tunnel]]\nport = 0\nbastion = \"b\"\n", "tunnels.toml:2: tunnel[1].port: ");
        assertProblem("[[tunnel]]\nport = \"2222\"\nbastion = \"b\"\n",
                "tunnels.toml:2: tunnel[1].port: must be a whole number");
        assertProblem("[[tunnel]]\nbastion = \"b\"\n", "tunnels.toml:1: tunnel[1]: tunnel[1] has no port");
        assertProblem("[defaults]\nport = 2222\n", "tunnels.toml:2: defaults.port: a port belongs to one [[tunnel]]");
    }

    @Test
    void badValuesOfOtherFieldsAreRejected() {
        String head = "[[tunnel]]\nport = 2222\nbastion = \"b\"\n";
        assertProblem(head + "engine = \"ssh\"\n", "tunnels.toml:4: tunnel[1].engine: engine 'ssh' is not one of");
        assertProblem(head + "wait = 0\n", "tunnels.toml:4: tunnel[1].wait: wait must be 1 to 3600 seconds, not 0");
        assertProblem(head + "check = \"yes\"\n", "tunnels.toml:4: tunnel[1].check: must be true or false");
        assertProblem(head + "user = \"root;rm\"\n", "tunnels.toml:4: tunnel[1].user: user 'root;rm' is not a login");
        assertProblem(head + "host_keys = [\"ssh-ed25519 not*base64\"]\n", "tunnels.toml:4: tunnel[1].host_keys: ");
        assertProblem(head + "host_keys = []\n", "tunnels.toml:4: tunnel[1].host_keys: ");
        assertProblem(head + "passphrase_file = \"/p\"\n", "tunnels.toml:4: tunnel[1].passphrase_file: passphrase_file"
                + " needs engine = \"native\"");
        assertProblem(head + "key = \"\"\n", "tunnels.toml:4: tunnel[1].key: must not be empty");
        assertProblem(head + "probe = \"ping\"\n", "tunnels.toml:4: tunnel[1].probe: probe kind must be one of");
        assertProblem("[[tunnel]]\nport = 2222\n", "tunnels.toml:1: tunnel[1]: tunnel[1] has no bastion");
    }

    @Test
    void probeChoosesHowTheTargetIsProbedAndAutoLeavesItToSetup() {
        String head = "[[tunnel]]\nport = 2222\nbastion = \"b\"\n";
        assertThat(TunnelsFile.parse(head + "probe = \"http\"\n", FILE).tunnels().get(0).request().probe())
                .contains(ProbeKind.HTTP);
        assertThat(TunnelsFile.parse(head + "probe = \"auto\"\n", FILE).tunnels().get(0).request().probe()).isEmpty();
        assertThat(TunnelsFile.parse(head, FILE).tunnels().get(0).request().probe()).isEmpty();
    }

    @Test
    void brokenTomlIsNamedWithItsLine() {
        assertThatThrownBy(() -> TunnelsFile.parse("[[tunnel]]\nport = 2222\nbastion = \"unterminated\n", FILE))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("tunnels.toml:3: not valid TOML: ");
        assertThatThrownBy(() -> TunnelsFile.parse("tunnel = 5\n", FILE))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("tunnels.toml:1: tunnel: tunnel must be");
    }

    @Test
    void aMissingFileSaysWhatToDo(@TempDir Path directory) {
        Path missing = directory.resolve("tunnels.toml");
        assertThatThrownBy(() -> TunnelsFile.read(missing)).isInstanceOf(InvalidInputException.class)
                .hasMessage(missing + ": no such tunnels file: write one (see `scitex-tunnel apply --help`), or name it"
                        + " with -f FILE");
    }

    @Test
    void readsAFile(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("t.toml"), "[[tunnel]]\nport = 2222\nbastion = \"b\"\n");
        assertThat(TunnelsFile.read(file).tunnels()).extracting(DeclaredTunnel::origin).containsExactly(file + ":1");
        assertThat(TunnelsFile.read(file).tunnels().get(0).user()).isEqualTo(Optional.empty());
    }

    private static void assertProblem(String text, String start) {
        assertThatThrownBy(() -> TunnelsFile.parse(text, FILE)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(start).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
