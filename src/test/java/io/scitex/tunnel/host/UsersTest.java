package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.testing.FakeRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsersTest {
    private static final FakeRunner GETENT = new FakeRunner(argv -> new CommandResult(argv, 0,
            argv.get(2) + ":x:1000:1000:Some One,,,:/home/" + argv.get(2) + ":/bin/bash\n", ""));

    @Test
    void looksUpThroughGetent() throws Exception {
        FakeRunner runner = new FakeRunner(argv -> new CommandResult(argv, 0,
                "alice:x:1001:1001:Alice:/srv/alice:/bin/sh\n", ""));

        assertThat(new Users(runner, Map.of()).lookup("alice"))
                .isEqualTo(new ServiceUser("alice", 1001, Path.of("/srv/alice")));
        assertThat(runner.commands()).containsExactly(List.of("getent", "passwd", "alice"));
    }

    @Test
    void invokingUserIsSudoUser() throws Exception {
        assertThat(new Users(GETENT, Map.of("SUDO_USER", "bob")).invoking().name()).isEqualTo("bob");
    }

    @Test
    void invokingUserIsProcessUserWithoutSudo() throws Exception {
        assertThat(new Users(GETENT, Map.of()).invoking().name()).isEqualTo(System.getProperty("user.name"));
        assertThat(new Users(GETENT, Map.of("SUDO_USER", "")).invoking().name())
                .isEqualTo(System.getProperty("user.name"));
    }

    @Test
    void unknownUserIsAnError() {
        assertThatThrownBy(() -> new Users(FakeRunner.failing(2, ""), Map.of()).lookup("ghost"))
                .isInstanceOf(IOException.class).hasMessage("no such user: ghost");
    }

    @Test
    void truncatedEntryIsAnError() {
        FakeRunner runner = FakeRunner.succeeding("alice:x:1001\n");

        assertThatThrownBy(() -> new Users(runner, Map.of()).lookup("alice")).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected passwd entry");
    }

    @Test
    void readsTheRealAccountOfThisProcess() throws Exception {
        String name = System.getProperty("user.name");

        ServiceUser user = new Users(new CommandRunner(), Map.of()).lookup(name);

        assertThat(user.name()).isEqualTo(name);
        assertThat(user.home()).isAbsolute();
    }
}
