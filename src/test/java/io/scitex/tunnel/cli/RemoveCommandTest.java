package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoveCommandTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"remove", "remove-tunnel"})
    void exitsWith4ForAPortWithoutTunnel(String command) throws Exception {
        Files.createDirectories(root.resolve("units"));

        new Cli(root).run(command, "-p", "2222").isError(ExitCode.NO_SUCH_TUNNEL).errContains("no tunnel on port 2222");
        assertThat(root.resolve("units")).isEmptyDirectory();
    }

    @Test
    void exitsWith4ForPort9OnAnEmptyUnitDirectory() throws Exception {
        Files.createDirectories(root.resolve("units"));

        Cli.Run run = new Cli(root).run("remove", "-p", "9");

        assertThat(run.exitCode()).isEqualTo(4);
        run.isError(ExitCode.NO_SUCH_TUNNEL).errContains("no tunnel on port 9");
        assertThat(root.resolve("units")).isEmptyDirectory();
    }

    @Test
    void rejectsMissingPort() {
        new Cli(root).run("remove").isUsageError().errContains("--port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "70000", "abc", "2222;reboot"})
    void rejectsBadPort(String port) {
        new Cli(root).run("remove", "-p", port).isUsageError().errContains("port");
    }
}
