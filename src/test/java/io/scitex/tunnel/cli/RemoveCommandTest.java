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
    void failsForAPortWithoutTunnel(String command) throws Exception {
        Files.createDirectories(root.resolve("units"));

        new Cli(root).run(command, "-p", "2222").isError(ExitCode.FAILED).errContains("no tunnel on port 2222");
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
