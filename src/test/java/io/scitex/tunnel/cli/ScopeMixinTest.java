package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.ServiceScope;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopeMixinTest {
    @TempDir
    Path root;

    @Test
    void userChoosesTheUsersOwnScope() {
        ScopeMixin scope = new ScopeMixin();
        assertThat(scope.scope()).isEqualTo(ServiceScope.SYSTEM);
        assertThat(scope.flag()).isEmpty();

        scope.user = true;

        assertThat(scope.scope()).isEqualTo(ServiceScope.USER);
        assertThat(scope.flag()).isEqualTo(" --user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"setup", "status", "logs", "doctor", "remove", "keygen", "authorize"})
    void everyCommandThatTouchesUnitsTakesUserAndExplainsIt(String command) {
        Cli.Run help = new Cli(root).run(command, "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("--user", "config/systemd/user", "systemctl --user",
                "loginctl enable-linger");
    }

    @Test
    void allUsersIsATableOrJsonOfEverything() {
        new Cli(root).run("status", "--all-users", "--user").isUsageError().errContains("leave out --user");
        new Cli(root).run("status", "--all-users", "-p", "2222").isUsageError();
        new Cli(root).run("status", "--all-users", "--format", "prometheus").isUsageError();
    }
}
