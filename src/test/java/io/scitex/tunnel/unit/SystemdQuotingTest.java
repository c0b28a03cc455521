package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SystemdQuotingTest {
    @ParameterizedTest
    @ValueSource(strings = {"/usr/bin/autossh", "-M", "0", "ServerAliveInterval=5", "user@host",
        "2222:localhost:22", "/etc/scitex-tunnel/2222/known_hosts", "a+b,c"})
    void leavesPlainArgumentsUnquoted(String value) {
        assertThat(SystemdQuoting.execArgument(value)).isEqualTo(value);
    }

    @Test
    void quotesArgumentWithSpace() {
        assertThat(SystemdQuoting.execArgument("/home/a b/key")).isEqualTo("\"/home/a b/key\"");
    }

    @Test
    void escapesQuotesAndBackslashes() {
        assertThat(SystemdQuoting.execArgument("a\"b\\c'd")).isEqualTo("\"a\\\"b\\\\c'd\"");
    }

    @Test
    void doublesPercentSoNoSpecifierIsExpanded() {
        assertThat(SystemdQuoting.execArgument("/keys/%h/100%")).isEqualTo("\"/keys/%%h/100%%\"");
    }

    @Test
    void doublesDollarSoNoVariableIsExpanded() {
        assertThat(SystemdQuoting.execArgument("${HOME}/$USER/$$")).isEqualTo("\"$${HOME}/$$USER/$$$$\"");
    }

    @Test
    void escapesControlCharactersAsHex() {
        assertThat(SystemdQuoting.execArgument("a\nb\rc\td\u007f\u001b")).isEqualTo("\"a\\x0ab\\x0dc\\x09d\\x7f\\x1b\"");
    }

    @Test
    void quotesEmptyArgumentSoItIsNotDropped() {
        assertThat(SystemdQuoting.execArgument("")).isEqualTo("\"\"");
    }

    @Test
    void quotesSemicolonSoItIsNotACommandSeparator() {
        assertThat(SystemdQuoting.execArgument(";")).isEqualTo("\";\"");
    }

    @Test
    void keepsNonAsciiLiterallyInsideQuotes() {
        assertThat(SystemdQuoting.execArgument("/ключ/😀")).isEqualTo("\"/ключ/😀\"");
    }

    @Test
    void execArgumentRejectsNul() {
        assertThatThrownBy(() -> SystemdQuoting.execArgument("a\0b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void textDoublesPercent() {
        assertThat(SystemdQuoting.text("100% of %n")).isEqualTo("100%% of %%n");
    }

    @Test
    void textReplacesControlCharactersSoItStaysOneLine() {
        assertThat(SystemdQuoting.text("a\nExecStart=/bin/sh\r\u007f")).isEqualTo("a?ExecStart=/bin/sh??");
    }

    @Test
    void textStripsSurroundingWhitespace() {
        assertThat(SystemdQuoting.text("  tunnel  ")).isEqualTo("tunnel");
    }

    @Test
    void textNeverEndsInALineContinuation() {
        assertThat(SystemdQuoting.text("C:\\")).isEqualTo("C:\\?");
        assertThat(SystemdQuoting.text("a\\ ")).isEqualTo("a\\?");
    }

    @Test
    void textKeepsDollarAndQuotes() {
        assertThat(SystemdQuoting.text("$HOME \"x\" 'y'")).isEqualTo("$HOME \"x\" 'y'");
    }

    @Test
    void textRejectsNul() {
        assertThatThrownBy(() -> SystemdQuoting.text("\0")).isInstanceOf(IllegalArgumentException.class);
    }
}
