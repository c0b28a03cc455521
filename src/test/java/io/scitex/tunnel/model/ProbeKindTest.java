package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ProbeKindTest {
    @ParameterizedTest
    @EnumSource(ProbeKind.class)
    void eachKindParsesFromItsLabel(ProbeKind kind) {
        assertThat(ProbeKind.parse(kind.label())).isEqualTo(kind);
        assertThat(kind.label()).isLowerCase();
    }

    @Test
    void anUnknownWordNamesTheChoices() {
        assertThatThrownBy(() -> ProbeKind.parse("HTTP\u001b")).isInstanceOf(InvalidInputException.class)
                .hasMessage("probe kind must be one of greeting, http, silent, not 'HTTP\\x1b'");
    }
}
