package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.InvalidInputException;
import org.junit.jupiter.api.Test;

class OutputFormatTest {
    @Test
    void formatsAreNamedInAnyCaseAndJsonWins() {
        assertThat(OutputFormat.of(false, "table")).isEqualTo(OutputFormat.TABLE);
        assertThat(OutputFormat.of(false, "JSON")).isEqualTo(OutputFormat.JSON);
        assertThat(OutputFormat.of(false, "Prometheus")).isEqualTo(OutputFormat.PROMETHEUS);
        assertThat(OutputFormat.of(true, "prometheus")).isEqualTo(OutputFormat.JSON);
    }

    @Test
    void anUnknownFormatIsOneLineWithItsNameEscaped() {
        assertThatThrownBy(() -> OutputFormat.of(false, "yaml\u001b[2J")).isInstanceOf(InvalidInputException.class)
                .hasMessage("--format must be table, json or prometheus, not 'yaml\\x1b[2J'");
    }
}
