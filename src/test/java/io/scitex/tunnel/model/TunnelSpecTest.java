package io.scitex.tunnel.model;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelSpecTest {
    private static TunnelSpec.Builder valid() {
        return TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("user@bastion.example.com"))
                .key(Path.of("/home/alice/.ssh/id_ed25519")).serviceUser("alice");
    }

    @Test
    void defaultsToLocalSshdAndDefaultKeepalive() {
        TunnelSpec spec = valid().build();

        assertThat(spec.target()).isEqualTo(TargetAddress.LOCAL_SSHD);
        assertThat(spec.keepalive()).isEqualTo(Keepalive.DEFAULT);
    }

    @Test
    void toBuilderRebuildsAnEqualSpec() {
        TunnelSpec spec = valid().target(TargetAddress.parse("[::1]:80")).keepalive(new Keepalive(10, 2)).build();

        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void logsInAsTheBastionsUserElseAsTheServiceUser() {
        assertThat(valid().build().login()).isEqualTo("user");
        assertThat(valid().bastion(BastionAddress.parse("bastion.example.com")).build().login()).isEqualTo("alice");
    }

    @Test
    void rejectsRelativeKeyPath() {
        assertThatThrownBy(() -> valid().key(Path.of("id_rsa")).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("must be absolute");
    }

    @Test
    void rejectsUnexpandedTildeAsRelative() {
        assertThatThrownBy(() -> valid().key(Path.of("~/.ssh/id_rsa")).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must be absolute");
    }

    @Test
    void rejectsMissingKey() {
        assertThatThrownBy(() -> valid().key(null).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/keys/a\nb", "/keys/a\rb", "/keys/a\tb", "/keys/\u001b[31m", "/keys/a\u007f",
        "/keys/a\u0085b", "/keys/a\u009bb", "/keys/\ufffd"})
    void rejectsKeyPathWithControlCharacters(String key) {
        assertThatThrownBy(() -> valid().key(Path.of(key)).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("control character")
                .satisfies(e -> assertOneLine(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/keys/with space/id", "/keys/100%/id", "/keys/$HOME/id", "/keys/\"q'/id", "/keys/ключ"})
    void acceptsPrintableKeyPaths(String key) {
        assertThat(valid().key(Path.of(key)).build().key()).isEqualTo(Path.of(key));
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "alice", "_svc", "a.b-c_d", "machine$", "alice@lab.example.org",
        "firstname.lastname@research.department.university.example.org"})
    void acceptsServiceUserNames(String user) {
        assertThat(valid().serviceUser(user).build().serviceUser()).isEqualTo(user);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-root", "1abc", "a b", "a;b", "a\nb", "al$ce", "a/b", "ālice", "@alice", "a:b",
        "a%b", "a\\b", "a\"b"})
    void rejectsInvalidServiceUser(String user) {
        assertThatThrownBy(() -> valid().serviceUser(user).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("service user")
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsServiceUserNamesLongerThanLinuxAllows() {
        assertThat(valid().serviceUser("a".repeat(255)).build().serviceUser()).hasSize(255);
        assertThatThrownBy(() -> valid().serviceUser("a".repeat(256)).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("service user");
    }

    @Test
    void rejectsMissingServiceUser() {
        assertThatThrownBy(() -> valid().serviceUser(null).build()).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("(none)");
    }

    @Test
    void rejectsPortOutOfRange() {
        assertThatThrownBy(() -> valid().port(0).build()).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> valid().port(65536).build()).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void requiresBastion() {
        assertThatThrownBy(() -> valid().bastion(null).build()).isInstanceOf(NullPointerException.class)
                .hasMessage("bastion");
    }
}
