package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class PortConverterTest {
    private final PortConverter converter = new PortConverter();

    @TempDir
    Path root;

    @Test
    void readsAPort() {
        assertThat(converter.convert("2222")).isEqualTo(2222);
        assertThat(converter.convert("1")).isEqualTo(1);
        assertThat(converter.convert("65535")).isEqualTo(65535);
    }

    @Test
    void rejectsInTheModelsWords() {
        assertThatThrownBy(() -> converter.convert("0")).isInstanceOf(TypeConversionException.class)
                .hasMessage("port must be from 1 to 65535, not 0");
        assertThatThrownBy(() -> converter.convert("abc")).hasMessage("port must be a number from 1 to 65535, not 'abc'");
        assertThatThrownBy(() -> converter.convert("")).hasMessage("port is missing");
    }

    /**
     * The eight commands that take -p: a bad port is the same one-line usage error in each (for run, which a
     * service runs, a configuration error).
     */
    @ParameterizedTest
    @ValueSource(strings = {"setup", "run", "status", "logs", "remove", "doctor", "keygen", "authorize"})
    void everyCommandRejectsABadPortWithTheSameLine(String command) {
        int code = command.equals("run") ? ExitCode.CONFIG : ExitCode.USAGE;
        Cli.Run run = new Cli(root).run(command, "-p", "0");

        run.isError(code);
        assertThat(run.err()).isEqualTo("scitex-tunnel: port must be from 1 to 65535, not 0" + System.lineSeparator());
        new Cli(root).run(command, "--port", "22;reboot").isError(code)
                .errContains("port must be a number from 1 to 65535, not '22;reboot'");
    }
}
