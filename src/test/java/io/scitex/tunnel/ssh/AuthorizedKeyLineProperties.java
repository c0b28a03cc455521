package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.testing.Hostile;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

// Generated cases per run: 3000 (2 properties: 2000 + 1000 tries).
class AuthorizedKeyLineProperties {
    private static final SshPublicKey KEY = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E");
    private static final String SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-";

    /**
     * Whatever the comment, the line is one line of printable ASCII that splits at single blanks into exactly
     * the options for that port, the key's type, its blob, and the comment (absent when the comment is empty).
     */
    @Property(tries = 2000)
    void hostileCommentNeverAddsAFieldALineOrAnOption(@ForAll("comments") String comment,
                                                      @ForAll @IntRange(min = 1, max = 65535) int port,
                                                      @ForAll("keys") SshPublicKey key) {
        String line = new AuthorizedKeyLine(port, key, comment).render();

        assertThat(line).as("printable ASCII, no line break").matches("[\\x20-\\x7e]+");
        assertThat(line.lines()).hasSize(1);
        List<String> expected = new ArrayList<>(List.of("command=\"/bin/false\",restrict,port-forwarding,"
                + "permitlisten=\"localhost:" + port + "\",permitopen=\"localhost:" + port + "\"",
                key.type(), key.base64()));
        if (!comment.isEmpty()) {
            expected.add(new AuthorizedKeyLine(port, key, comment).comment());
        }
        assertThat(line.split(" ", -1)).containsExactlyElementsOf(expected);
        assertThat(line.split("\\s+", -1)).hasSize(expected.size());
    }

    /** Sanitizing keeps every safe character where it was and turns each other code point into one '_'. */
    @Property(tries = 1000)
    void sanitizingReplacesCodePointForCodePoint(@ForAll("comments") String comment) {
        String sanitized = new AuthorizedKeyLine(22, KEY, comment).comment();

        int[] given = comment.codePoints().toArray();
        assertThat(sanitized).hasSize(given.length).matches("[A-Za-z0-9._@-]*");
        for (int i = 0; i < given.length; i++) {
            char expected = given[i] < 128 && SAFE.indexOf(given[i]) >= 0 ? (char) given[i] : '_';
            assertThat(sanitized.charAt(i)).as("code point %d of %s", i, comment).isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<String> comments() {
        return Arbitraries.oneOf(Hostile.text(), Hostile.text().map(t -> "scitex-tunnel-2222@" + t));
    }

    @Provide
    Arbitrary<SshPublicKey> keys() {
        Arbitrary<String> types = Arbitraries.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256",
                "sk-ssh-ed25519@openssh.com");
        Arbitrary<String> blobs = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(96)
                .map(bytes -> Base64.getEncoder().encodeToString(bytes));
        return Combinators.combine(types, blobs).as(SshPublicKey::new);
    }
}
