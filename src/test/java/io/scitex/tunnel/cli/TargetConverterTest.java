package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.TargetAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class TargetConverterTest {
    private final TargetConverter converter = new TargetConverter();

    @Test
    void readsHostAndPort() {
        assertThat(converter.convert("localhost:22")).isEqualTo(TargetAddress.LOCAL_SSHD);
        assertThat(converter.convert("[::1]:8080")).isEqualTo(new TargetAddress("::1", 8080));
    }

    @Test
    void rejectsInTheModelsWords() {
        assertThatThrownBy(() -> converter.convert("localhost")).isInstanceOf(TypeConversionException.class)
                .hasMessage("target 'localhost' must be HOST:PORT");
        assertThatThrownBy(() -> converter.convert("localhost:0")).hasMessageContaining("target port");
    }

    @Test
    void printsBackAsItReadsForSetup() {
        for (String target : new String[] {"localhost:22", "127.0.0.1:8080", "[2001:db8::1]:22"}) {
            assertThat(TargetAddress.parse(converter.convert(target).toString())).isEqualTo(converter.convert(target));
        }
    }
}
