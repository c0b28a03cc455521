package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.unit.TunnelUnit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ExitCodeTest {
    @TempDir
    Path root;

    @Test
    void theCodesScriptsRelyOn() {
        assertThat(ExitCode.OK).isZero();
        assertThat(ExitCode.FAILED).isEqualTo(1);
        assertThat(ExitCode.USAGE).isEqualTo(2);
        assertThat(ExitCode.NOT_UP).isEqualTo(3);
        assertThat(ExitCode.NO_SUCH_TUNNEL).isEqualTo(4);
        assertThat(ExitCode.CONFIG).isEqualTo(78).isEqualTo(TunnelUnit.CONFIGURATION_ERROR_STATUS);
    }

    @Test
    void whatIsAUsageErrorElsewhereIsAConfigurationErrorForRun() {
        CommandLine run = new CommandLine(new RunCommand());
        CommandLine status = new CommandLine(new StatusCommand());
        InvalidInputException unpinned = new InvalidInputException("no host key of bastion b is pinned in f");

        assertThat(ExitCode.of(unpinned, run)).isEqualTo(ExitCode.CONFIG);
        assertThat(ExitCode.of(new ParameterException(run, "Unknown option: '--frobnicate'"), run))
                .isEqualTo(ExitCode.CONFIG);
        assertThat(ExitCode.of(unpinned, status)).isEqualTo(ExitCode.USAGE);
        assertThat(ExitCode.of(new TunnelException("systemctl failed"), run)).as("may pass: restarted")
                .isEqualTo(ExitCode.FAILED);
    }

    @Test
    void aBadOptionOrValueIsAUsageError() {
        assertThat(ExitCode.of(new ParameterException(new CommandLine(new Main(() -> null, Map.of())),
                "Unknown option: '--frobnicate'"))).isEqualTo(ExitCode.USAGE);
        assertThat(ExitCode.of(new InvalidInputException("port must be from 1 to 65535, not 0")))
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aMissingTunnelIsNotAPlainFailure() {
        assertThat(ExitCode.of(new NoSuchTunnelException(2222))).isEqualTo(ExitCode.NO_SUCH_TUNNEL);
    }

    @Test
    void everyOtherFailureIsAFailure() {
        assertThat(ExitCode.of(new TunnelException("systemctl failed"))).isEqualTo(ExitCode.FAILED);
        assertThat(ExitCode.of(new IllegalStateException("a bug"))).isEqualTo(ExitCode.FAILED);
        assertThat(ExitCode.of(new UncheckedIOException(new IOException("disk")))).isEqualTo(ExitCode.FAILED);
        assertThat(ExitCode.of(new StackOverflowError())).isEqualTo(ExitCode.FAILED);
    }

    /** Every command that takes -p says the same thing, the same way, of a port without a tunnel. */
    @ParameterizedTest
    @ValueSource(strings = {"status", "doctor", "logs", "remove"})
    void everyCommandExitsWith4ForAPortWithoutTunnel(String command) throws Exception {
        Files.createDirectories(root.resolve("units"));

        new Cli(root).run(command, "-p", "9").isError(ExitCode.NO_SUCH_TUNNEL).errContains("no tunnel on port 9");
    }
}
