package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizedKeyLineTest {
    private static final String BLOB = "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E";
    private static final SshPublicKey KEY = new SshPublicKey("ssh-ed25519", BLOB);

    @Test
    void rendersTheConfinedLine() {
        AuthorizedKeyLine line = new AuthorizedKeyLine(2222, KEY, "scitex-tunnel-2222@host.example");

        assertThat(line.render()).isEqualTo("command=\"/bin/false\",restrict,port-forwarding,"
                + "permitlisten=\"localhost:2222\",permitopen=\"localhost:2222\" ssh-ed25519 " + BLOB
                + " scitex-tunnel-2222@host.example");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 22, 2222, 65535})
    void optionsNameThePortTwice(int port) {
        assertThat(new AuthorizedKeyLine(port, KEY, "c").options()).isEqualTo("command=\"/bin/false\",restrict,"
                + "port-forwarding,permitlisten=\"localhost:" + port + "\",permitopen=\"localhost:" + port + "\"");
    }

    @Test
    void keepsTheKeyTypeAndBlobAsGiven() {
        SshPublicKey rsa = new SshPublicKey("ssh-rsa", "AAAAB3NzaC1yc2EAAAADAQABAAABAQ==");

        assertThat(new AuthorizedKeyLine(2222, rsa, "c").render())
                .endsWith("\" ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== c");
    }

    @Test
    void keepsSafeCommentCharacters() {
        String safe = "abcXYZ019._@-";

        assertThat(new AuthorizedKeyLine(2222, KEY, safe).comment()).isEqualTo(safe);
    }

    static Stream<Arguments> unsafeComments() {
        return Stream.of(
                Arguments.of("a b", "a_b"),
                Arguments.of("a\tb", "a_b"),
                Arguments.of("a\nb", "a_b"),
                Arguments.of("a\r\nb", "a__b"),
                Arguments.of("x\",command=\"/bin/sh", "x__command___bin_sh"),
                Arguments.of("'x' y", "_x__y"),
                Arguments.of("$(id);`id`", "__id___id_"),
                Arguments.of("host#1", "host_1"),
                Arguments.of("caf\u00e9", "caf_"),
                Arguments.of("\u4e2d\u6587", "__"),
                Arguments.of("\ud83d\ude00", "_"),
                Arguments.of("\ud83d", "_"),
                Arguments.of("a\u2028b\u0085c", "a_b_c"),
                Arguments.of("\u001b[31m", "__31m"),
                Arguments.of("a\u0000b", "a_b"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("unsafeComments")
    void replacesEveryOtherCodePointWithAnUnderscore(String comment, String sanitized) {
        AuthorizedKeyLine line = new AuthorizedKeyLine(2222, KEY, comment);

        assertThat(line.comment()).isEqualTo(sanitized);
        assertThat(line.render()).endsWith(" " + BLOB + " " + sanitized);
    }

    @Test
    void emptyCommentLeavesNoTrailingBlank() {
        AuthorizedKeyLine line = new AuthorizedKeyLine(2222, KEY, "");

        assertThat(line.render()).isEqualTo(line.options() + " ssh-ed25519 " + BLOB);
    }

    @Test
    void equalLinesForTheSameSanitizedComment() {
        assertThat(new AuthorizedKeyLine(2222, KEY, "a b")).isEqualTo(new AuthorizedKeyLine(2222, KEY, "a_b"));
    }
}
