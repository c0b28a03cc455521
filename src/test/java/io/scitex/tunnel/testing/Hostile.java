package io.scitex.tunnel.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Generators of hostile text: what a shell, systemd, ssh or a terminal might read as something else —
 * quotes, whitespace, line breaks, specifiers, variables, escapes, option dashes, non-ASCII — mixed with
 * ordinary path text so that the hostile parts sit where real values have them.
 */
public final class Hostile {
    /** Fragments each of which means something to at least one of the readers of our output. */
    public static final List<String> FRAGMENTS = List.of(
            "\"", "'", "`", "\\", "\\\\", "\\x41", "\\n", "\\\"", " ", "  ", "\t", "\n", "\r", "\r\n",
            "%", "%n", "%h", "%i", "%%", "%%%", "$", "$$", "${HOME}", "${", "$HOME", "$(id)", "}", "{",
            ";", " ; ", "&&", "|", "#", "=", "-", "--", "-oProxyCommand=x", "-o", "[", "]", ":", "@", "*", "?",
            "\u007f", "\u001b[31m", "\u0085", "\u009b", "\u2028", "\u2029", "\u00a0", "\u3000", "\u200b",
            "\ufeff", "\ufffd", "é", "ß", "Ж", "中文", "😀", "\ud83d", "\udc00", "ExecStartPre=/bin/sh",
            "\n[Service]\nExecStart=/bin/sh\n", "\\\n", "/", "..", "~");
    private static final String HOSTILE_CHARS = "\"'\\ \t\n\r%$;-{}[]@:#=`*?!~|&<>()";

    private Hostile() {}

    public static Arbitrary<String> fragment() {
        return Arbitraries.of(FRAGMENTS);
    }

    /** Ordinary text found in paths and host names. */
    public static Arbitrary<String> plain() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric().withChars("/._-")
                .ofMinLength(1).ofMaxLength(10);
    }

    /** Any text, hostile fragments and arbitrary UTF-16 (lone surrogates, controls, NUL) included. */
    public static Arbitrary<String> text() {
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(4, fragment()),
                Tuple.of(4, plain()),
                Tuple.of(3, Arbitraries.strings().withChars(HOSTILE_CHARS).ofMinLength(1).ofMaxLength(4)),
                Tuple.of(1, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4)),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u0080', '\uffff').ofMinLength(1).ofMaxLength(3)));
        return piece.list().ofMaxSize(10).map(parts -> String.join("", parts));
    }

    /** {@link #text()} without NUL, which no file or argv can hold. */
    public static Arbitrary<String> textWithoutNul() {
        return text().map(s -> s.replace("\0", ""));
    }

    /** Text a file name may hold: no NUL, no control characters, well-formed UTF-16, not U+FFFD. */
    public static Arbitrary<String> pathText() {
        return textWithoutNul().map(Hostile::printable);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (!Character.isISOControl(cp) && cp != 0xfffd && !(cp >= 0xd800 && cp <= 0xdfff)) {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
