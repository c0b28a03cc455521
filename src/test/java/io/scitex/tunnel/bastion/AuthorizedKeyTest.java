package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.ssh.SshPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuthorizedKeyTest {
    static final SshPublicKey KEY = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIHnS7vTYW0VMGzJ3oP4iWnjv4TKcFzJ0Jb6tYQxZlW1c");

    @Test
    void readsTheLineAuthorizeWrites() {
        String line = new AuthorizedKeyLine(2222, KEY, "scitex-tunnel-2222@gpu01").render();

        AuthorizedKey key = AuthorizedKey.parseLine("tunnel", 3, line).orElseThrow();

        assertThat(key.account()).isEqualTo("tunnel");
        assertThat(key.line()).isEqualTo(3);
        assertThat(key.key()).isEqualTo(KEY);
        assertThat(key.fingerprint()).isEqualTo(KEY.fingerprint());
        assertThat(key.comment()).isEqualTo("scitex-tunnel-2222@gpu01");
        assertThat(key.host()).isEqualTo("gpu01");
        assertThat(key.listens()).containsExactly(2222);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnS7vTYW0VMGzJ3oP4iWnjv4TKcFzJ0Jb6tYQxZlW1c me@laptop | | me@laptop",
        "permitlisten=\"2300\",permitlisten=\"[::1]:2301\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnS7vTYW0VMGzJ3oP4iWnjv4TKcFzJ0Jb6tYQxZlW1c | 2300 2301 |",
        "command=\"echo a, b\",permitlisten=\"localhost:2302\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnS7vTYW0VMGzJ3oP4iWnjv4TKcFzJ0Jb6tYQxZlW1c two words | 2302 | two words",
        "permitlisten=\"*:*\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHnS7vTYW0VMGzJ3oP4iWnjv4TKcFzJ0Jb6tYQxZlW1c | |"})
    void readsOptionsQuotesAndComments(String line, String listens, String comment) {
        AuthorizedKey key = AuthorizedKey.parseLine("a", 1, line).orElseThrow();

        List<Integer> expected = listens == null ? List.of()
                : java.util.Arrays.stream(listens.split(" ")).map(Integer::valueOf).toList();
        assertThat(key.listens()).isEqualTo(expected);
        assertThat(key.comment()).isEqualTo(comment == null ? "" : comment);
    }

    @Test
    void skipsCommentsBlanksAndGarbageAndNumbersLines() {
        String text = "# keys\n\nnot a key at all\nssh-ed25519 !!!notbase64\n"
                + new AuthorizedKeyLine(2222, KEY, "c").render() + "\n";

        List<AuthorizedKey> keys = AuthorizedKey.parseFile("tunnel", text);

        assertThat(keys).singleElement().satisfies(k -> assertThat(k.line()).isEqualTo(5));
    }

    @Test
    void aCommentNotWrittenByAuthorizeIsItsOwnHost() {
        AuthorizedKey key = new AuthorizedKey("a", 1, KEY, "ops@laptop", List.of());

        assertThat(key.host()).isEqualTo("ops@laptop");
    }
}
