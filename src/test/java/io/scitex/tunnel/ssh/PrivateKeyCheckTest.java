package io.scitex.tunnel.ssh;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateKeyCheckTest {
    private static ServiceUser me;

    @TempDir
    Path dir;

    @BeforeAll
    static void currentUser() {
        String uid = OpenSsh.run(List.of("id", "-u")).stdout().strip();
        me = new ServiceUser(System.getProperty("user.name"), Integer.parseInt(uid), Path.of(System.getProperty("user.home")));
    }

    private Path key(String type, String passphrase, String... extra) {
        return OpenSsh.generate(dir.resolve("id_" + type), type, passphrase, extra);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void acceptsUnencryptedOpenSshKeyOwnedByServiceUserWithMode600(String type) {
        Path key = key(type, "");

        assertThatCode(() -> PrivateKeyCheck.check(key, me)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ecdsa"})
    void acceptsUnencryptedPemKey(String type) {
        Path key = key(type, "", "-m", "PEM");

        assertThatCode(() -> PrivateKeyCheck.check(key, me)).doesNotThrowAnyException();
    }

    @Test
    void acceptsSymlinkToAGoodKey() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), key("ed25519", ""));

        assertThatCode(() -> PrivateKeyCheck.check(link, me)).doesNotThrowAnyException();
    }

    @Test
    void rejectsMissingKey() {
        assertThatThrownBy(() -> PrivateKeyCheck.check(dir.resolve("absent"), me))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist")
                .hasMessageContaining("-s KEY").satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsDirectory() {
        assertThatThrownBy(() -> PrivateKeyCheck.check(dir, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not a regular file");
    }

    @Test
    void rejectsPublicKeyNamingThePrivateOne() {
        Path key = key("ed25519", "");

        assertThatThrownBy(() -> PrivateKeyCheck.check(Path.of(key + ".pub"), me))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a public key")
                .hasMessageEndingWith("give the private key, " + key).satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsPublicKeyContentUnderAnyName() throws Exception {
        Path copy = Files.copy(Path.of(key("ecdsa", "") + ".pub"), dir.resolve("tunnel_key"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(copy, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is a public key");
    }

    @Test
    void rejectsKeyReadableByOthersNamingChmod() throws Exception {
        Path key = key("ed25519", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("chmod 600 " + key).satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsKeyWritableByGroup() throws Exception {
        Path key = key("ed25519", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw--w----"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("chmod 600");
    }

    @Test
    void acceptsKeyReadableByOwnerOnly() throws Exception {
        Path key = key("ed25519", "");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));

        assertThatCode(() -> PrivateKeyCheck.check(key, me)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa", "ecdsa"})
    void rejectsPassphraseProtectedOpenSshKey(String type) {
        Path key = key(type, "secret");

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("passphrase").satisfies(e -> assertOneLine(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ecdsa"})
    void rejectsPassphraseProtectedPemKey(String type) {
        Path key = key(type, "secret", "-m", "PEM");

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("passphrase");
    }

    @Test
    void rejectsPassphraseProtectedPkcs8Key() {
        Path key = key("rsa", "secret", "-m", "PKCS8");

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("passphrase");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world\n", "", "\n\n", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "PuTTY-User-Key-File-3: ssh-ed25519\n", "\u0000\u0001\u0002binary"})
    void rejectsWhatIsNotAPrivateKey(String content) throws Exception {
        Path key = Files.writeString(dir.resolve("key"), content);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not an SSH private key").satisfies(e -> assertOneLine(e));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AAAA", "b3BlbnNzaC1rZXktdjEA", "!!!!", "ffffffffffffffffffffffffffffffffffffffff",
        "b3BlbnNzaC1rZXktdjEAf////w==", "b3BlbnNzaC1rZXktdjEAf////wAAAAA=", "b3BlbnNzaC1rZXktdjEAgAAAAA=="})
    void rejectsCorruptOpenSshKey(String body) throws Exception {
        Path key = Files.writeString(dir.resolve("key"),
                "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(key.toString()).satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsKeyOfAnotherOwnerNamingChown() {
        Path key = key("ed25519", "");
        ServiceUser nobody = new ServiceUser("nobody", 65534, Path.of("/nonexistent"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, nobody)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("belongs to " + me.name()).hasMessageContaining("chown nobody " + key)
                .satisfies(e -> assertOneLine(e));
    }

    /** ssh runs as the service user: a key they cannot reach (a directory on the way closed to them) is refused. */
    @Test
    void rejectsAKeyTheServiceUserCannotRead() throws Exception {
        Prerequisites.requireRoot("checking a key as another user");
        ServiceUser nobody = new Users(new CommandRunner(), Map.of()).lookup("nobody");
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Path key = OpenSsh.generate(closed.resolve("id_ed25519"), "ed25519", "");
        Files.setOwner(key, key.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(key, nobody)).isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + key + " cannot be read by nobody, whom the tunnel runs as: Permission denied");
    }

    @Test
    void rejectsALinkToAKeyOfAnotherOwner() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), key("ed25519", ""));
        ServiceUser nobody = new ServiceUser("nobody", 65534, Path.of("/nonexistent"));

        assertThatThrownBy(() -> PrivateKeyCheck.check(link, nobody)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a link to").hasMessageEndingWith("not to nobody: give a file of nobody's own");
    }
}
