package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class BastionConverterTest {
    private final BastionConverter converter = new BastionConverter();

    @Test
    void readsUserHostAndPort() {
        assertThat(converter.convert("user@bastion.example.com:2200"))
                .isEqualTo(new BastionAddress(Optional.of("user"), "bastion.example.com", 2200));
        assertThat(converter.convert("bastion")).isEqualTo(new BastionAddress(Optional.empty(), "bastion", 22));
    }

    @Test
    void rejectsInTheModelsWords() {
        assertThatThrownBy(() -> converter.convert("-oProxyCommand=x")).isInstanceOf(TypeConversionException.class)
                .hasMessage("bastion '-oProxyCommand=x' starts with '-': it would be read as an ssh option");
        assertThatThrownBy(() -> converter.convert("a b")).hasMessageContaining("bastion 'a b'");
    }

    @Test
    void printsBackAsItReadsForSetup() {
        for (String bastion : new String[] {"user@bastion.example.com", "bastion:2200", "user@[2001:db8::1]:2200",
            "[::1]"}) {
            assertThat(BastionAddress.parse(converter.convert(bastion).toString())).isEqualTo(converter.convert(bastion));
        }
    }
}
