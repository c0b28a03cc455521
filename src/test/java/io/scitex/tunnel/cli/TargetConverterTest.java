package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.TargetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class TargetConverterTest {
    private final TargetConverter converter = new TargetConverter();

    @TempDir
    Path root;

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

    /** demo is refused while its command line is read: it starts nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "-oProxyCommand=x:22", "a b:22"})
    void demoRejectsABadTargetAsSetupDoes(String target) {
        new Cli(root).run("demo", "--target", target).isUsageError().errContains("scitex-tunnel: target");
    }
}
