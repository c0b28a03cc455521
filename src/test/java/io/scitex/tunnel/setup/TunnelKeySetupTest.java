package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.testing.FakeRunner;
import io.scitex.tunnel.testing.TestMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunnelKeySetupTest {
    @TempDir
    Path root;

    private TestMachine machine;
    private TunnelKeySetup keys;

    @BeforeEach
    void keys() {
        machine = new TestMachine(root);
        // The user's file work runs as real commands (mkdir, ssh-keygen, mv ...), in the test machine's home.
        CommandRunner real = new CommandRunner();
        FakeRunner runner = new FakeRunner(argv -> argv.get(0).equals("getent") ? machine.runner().run(argv) : real.run(argv));
        keys = new TunnelKeySetup(machine.users(), runner, machine.programs(), () -> "gpu01");
    }

    @Test
    void keygenMakesTheTunnelsOwnKeyInTheUsersSshDirectory() throws Exception {
        KeygenResult made = keys.keygen(2222, Optional.empty(), false);

        Path expected = machine.user().home().resolve(".ssh/scitex-tunnel-2222_ed25519");
        assertThat(made.key()).isEqualTo(expected);
        assertThat(made.owner()).isEqualTo(machine.user().name());
        assertThat(Files.getPosixFilePermissions(expected)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(made.authorized().render()).startsWith("command=\"/bin/false\",restrict,port-forwarding,"
                + "permitlisten=\"localhost:2222\",permitopen=\"localhost:2222\" ssh-ed25519 ")
                .endsWith(" scitex-tunnel-2222@gpu01");
    }

    @Test
    void keygenExpandsTildeToTheUsersHome() {
        KeygenResult made = keys.keygen(2222, Optional.of("~/.ssh/lab_ed25519"), false);

        assertThat(made.key()).isEqualTo(machine.user().home().resolve(".ssh/lab_ed25519"));
    }

    @Test
    void keygenNeverReplacesAKeyWithoutForce() throws Exception {
        Path key = keys.keygen(2222, Optional.empty(), false).key();
        String first = Files.readString(key);

        assertThatThrownBy(() -> keys.keygen(2222, Optional.empty(), false))
                .isInstanceOfAny(InvalidInputException.class, TunnelException.class)
                .hasMessage("key " + key + " already exists: use it (setup -s " + key + "), or replace it with keygen --force");
        assertThat(Files.readString(key)).isEqualTo(first);

        keys.keygen(2222, Optional.empty(), true);
        assertThat(Files.readString(key)).isNotEqualTo(first);
    }

    @Test
    void authorizePrintsTheLineForAnExistingKey() {
        KeygenResult made = keys.keygen(2230, Optional.empty(), false);

        AuthorizedKeyLine line = keys.authorize(2230, Optional.empty());

        assertThat(line.render()).isEqualTo(made.authorized().render());
    }

    @Test
    void sshdBlockIsForTheGivenAccountElseTheInvokingUser() {
        assertThat(keys.sshdBlock(Optional.of("tunnel")).account()).isEqualTo("tunnel");
        assertThat(keys.sshdBlock(Optional.empty()).account()).isEqualTo(machine.user().name());
    }

    @Test
    void badPortsAreRejectedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> keys.keygen(0, Optional.empty(), false)).isInstanceOf(InvalidInputException.class);
        assertThat(machine.runner().commands()).isEmpty();
    }

    @Test
    void theInvokingUserIsLookedUpOnce() {
        assertThat(keys.invokingUser()).isEqualTo(machine.user());
        assertThat(machine.runner().commands()).containsExactly(
                java.util.List.of("getent", "passwd", machine.user().name()));
    }
}
