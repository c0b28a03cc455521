package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ProbeTimeoutConverterTest {
    private final ProbeTimeoutConverter converter = new ProbeTimeoutConverter();

    @TempDir
    Path root;

    @Test
    void theProbeTimeoutIsSecondsWithinBounds() {
        assertThat(converter.convert("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(converter.convert("0.5")).isEqualTo(Duration.ofMillis(500));
        for (String bad : List.of("0", "-1", "61", "NaN", "soon")) {
            assertThatThrownBy(() -> converter.convert(bad)).hasMessageContaining("--timeout");
        }
    }

    @Test
    void sayWhatIsAllowed() {
        assertThatThrownBy(() -> converter.convert("soon"))
                .hasMessage("--timeout must be a number of seconds from 0.1 to 60, not 'soon'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "doctor"})
    void statusAndDoctorTakeDecimalSeconds(String command) {
        Cli.Run run = new Cli(root).run(command, "--timeout", "1.5");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("No tunnels.");
        assertThat(timeoutOf(new StatusCommand(), "--timeout", "1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(timeoutOf(new DoctorCommand(), "--timeout", "1.5")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void statusAndDoctorDefaultToThreeSeconds() {
        assertThat(timeoutOf(new StatusCommand())).isEqualTo(Duration.ofSeconds(3));
        assertThat(timeoutOf(new DoctorCommand())).isEqualTo(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "doctor"})
    void statusAndDoctorRejectTheSameTimeouts(String command) {
        new Cli(root).run(command, "--timeout", "soon").isUsageError()
                .errContains("scitex-tunnel: --timeout must be a number of seconds from 0.1 to 60, not 'soon'");
        new Cli(root).run(command, "--timeout", "0").isUsageError().errContains("--timeout");
        new Cli(root).run(command, "--timeout", "61").isUsageError().errContains("--timeout");
    }

    private static Duration timeoutOf(StatusCommand status, String... args) {
        new CommandLine(status).parseArgs(args);
        return status.timeout;
    }

    private static Duration timeoutOf(DoctorCommand doctor, String... args) {
        new CommandLine(doctor).parseArgs(args);
        return doctor.timeout;
    }
}
