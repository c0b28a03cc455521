package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void quotedQuotesValue() {
        assertThat(Printable.quoted("host")).isEqualTo("'host'");
    }

    @Test
    void quotedEscapesAsciiControlCharacters() {
        assertThat(Printable.quoted("a\nb\r\t\u001b\u007f")).isEqualTo("'a\\x0ab\\x0d\\x09\\x1b\\x7f'");
    }

    @Test
    void quotedEscapesC1ControlsAndUnicodeLineSeparators() {
        assertThat(Printable.quoted("a\u0085b\u009bc\u2028d\u2029")).isEqualTo("'a\\x85b\\x9bc\\u2028d\\u2029'");
    }

    @Test
    void quotedKeepsPrintableNonAscii() {
        assertThat(Printable.quoted("ключ 😀 %n")).isEqualTo("'ключ 😀 %n'");
    }

    @Test
    void escapeEscapesControlsAndLineSeparators() {
        assertThat(Printable.escape("a\nb\r\u0085\u2028 ключ")).isEqualTo("a\\x0ab\\x0d\\x85\\u2028 ключ");
        assertThat(Printable.escape(null)).isEqualTo("null");
    }
}
