package io.scitex.tunnel.model;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelPortTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 22, 2222, 65535})
    void acceptsPortsFrom1To65535(int port) {
        assertThat(TunnelPort.check(port)).isEqualTo(port);
        assertThat(TunnelPort.parse(Integer.toString(port))).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, 70000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void checkRejectsPortsOutOfRange(int port) {
        assertThatThrownBy(() -> TunnelPort.check(port)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("1 to 65535");
    }

    @Test
    void parseReadsLeadingZerosAsDecimal() {
        assertThat(TunnelPort.parse("02222")).isEqualTo(2222);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "00000", "65536", "70000", "99999", "-1", "abc", "1e3", " 22", "22 ", "+22", "0x16",
        "2,222", "22\n", "２２", "٢٢", "999999", "2147483648", "22;reboot"})
    void parseRejectsWhatIsNotAPort(String text) {
        assertThatThrownBy(() -> TunnelPort.parse(text)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void parseRejectsEmptyAsMissing() {
        assertThatThrownBy(() -> TunnelPort.parse("")).isInstanceOf(InvalidInputException.class)
                .hasMessage("port is missing");
        assertThatThrownBy(() -> TunnelPort.parse(null)).isInstanceOf(InvalidInputException.class)
                .hasMessage("port is missing");
    }
}
