package io.scitex.tunnel.ssh;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real ssh-keygen; ssh-keygen itself is the oracle for what was written. */
class SshKeygenTest {
    private static final String COMMENT = "scitex-tunnel-2222@host";

    @TempDir
    Path home;
    @TempDir
    Path dir;

    private ServiceUser me;
    private final SshKeygen keys = new SshKeygen(new CommandRunner(), "ssh-keygen");

    @BeforeEach
    void currentUser() {
        String uid = OpenSsh.run(List.of("id", "-u")).stdout().strip();
        me = new ServiceUser(System.getProperty("user.name"), Integer.parseInt(uid), home);
    }

    @Test
    void generatesAnEd25519PairThatSshKeygenReads() throws Exception {
        Path key = dir.resolve("tunnel_key");

        SshPublicKey generated = keys.generate(key, me, COMMENT, false);

        assertThat(generated.type()).isEqualTo("ssh-ed25519");
        assertThat(OpenSsh.fingerprint(pub(key))).isEqualTo(generated.fingerprint());
        assertThat(OpenSsh.fingerprint(key)).as("fingerprint of the private key").isEqualTo(generated.fingerprint());
        assertThat(Files.readString(pub(key), StandardCharsets.UTF_8).strip())
                .isEqualTo("ssh-ed25519 " + generated.base64() + " " + COMMENT);
        OpenSsh.Result derived = OpenSsh.run(List.of("ssh-keygen", "-y", "-P", "", "-f", key.toString()));
        assertThat(derived.exitCode()).as("ssh-keygen -y with an empty passphrase: %s", derived.stdout()).isZero();
        assertThat(derived.stdout()).startsWith("ssh-ed25519 " + generated.base64());
    }

    @Test
    void privateKeyIsMode600AndPublicKey644BothOwnedByTheUser() throws Exception {
        Path key = dir.resolve("tunnel_key");

        keys.generate(key, me, COMMENT, false);

        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(pub(key))).isEqualTo("rw-r--r--");
        assertThat(Files.getOwner(key).getName()).isEqualTo(me.name());
        assertThat(Files.getOwner(pub(key)).getName()).isEqualTo(me.name());
    }

    @Test
    void leavesOnlyTheKeyAndItsPublicHalf() throws Exception {
        Path key = dir.resolve("tunnel_key");

        keys.generate(key, me, COMMENT, false);

        assertThat(entries(dir)).containsExactlyInAnyOrder("tunnel_key", "tunnel_key.pub");
    }

    @Test
    void createsAMissingDirectoryMode700OwnedByTheUser() throws Exception {
        Path ssh = home.resolve(".ssh");
        Path key = ssh.resolve("scitex-tunnel-2222_ed25519");

        keys.generate(key, me, COMMENT, false);

        assertThat(ssh).isDirectory();
        assertThat(mode(ssh)).isEqualTo("rwx------");
        assertThat(Files.getOwner(ssh).getName()).isEqualTo(me.name());
        assertThat(entries(ssh)).containsExactlyInAnyOrder("scitex-tunnel-2222_ed25519", "scitex-tunnel-2222_ed25519.pub");
    }

    @Test
    void leavesTheModeOfAnExistingDirectoryAlone() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));

        keys.generate(dir.resolve("tunnel_key"), me, COMMENT, false);

        assertThat(mode(dir)).isEqualTo("rwxr-x---");
    }

    @Test
    void refusesToReplaceAnExistingKeyWithoutForce() throws Exception {
        Path key = dir.resolve("tunnel_key");
        keys.generate(key, me, COMMENT, false);
        byte[] privateBefore = Files.readAllBytes(key);
        byte[] publicBefore = Files.readAllBytes(pub(key));

        assertThatThrownBy(() -> keys.generate(key, me, COMMENT, false))
                .isInstanceOf(TunnelException.class)
                .hasMessageContaining("key " + key + " already exists")
                .hasMessageContaining("--force")
                .satisfies(e -> assertOneLine(e));
        assertThat(Files.readAllBytes(key)).isEqualTo(privateBefore);
        assertThat(Files.readAllBytes(pub(key))).isEqualTo(publicBefore);
        assertThat(entries(dir)).containsExactlyInAnyOrder("tunnel_key", "tunnel_key.pub");
    }

    @Test
    void refusesAKeyThatExistsEvenWithoutItsPublicHalf() throws Exception {
        Path key = OpenSsh.generate(dir.resolve("existing"), "ed25519", "");
        Files.delete(pub(key));
        byte[] before = Files.readAllBytes(key);

        assertThatThrownBy(() -> keys.generate(key, me, COMMENT, false)).isInstanceOf(TunnelException.class)
                .hasMessageContaining("--force");
        assertThat(Files.readAllBytes(key)).isEqualTo(before);
        assertThat(pub(key)).doesNotExist();
    }

    @Test
    void forceReplacesTheKeyWithANewOne() throws Exception {
        Path key = dir.resolve("tunnel_key");
        SshPublicKey first = keys.generate(key, me, COMMENT, false);
        String firstFingerprint = OpenSsh.fingerprint(key);

        SshPublicKey second = keys.generate(key, me, COMMENT, true);

        assertThat(OpenSsh.fingerprint(key)).isEqualTo(second.fingerprint()).isNotEqualTo(firstFingerprint);
        assertThat(OpenSsh.fingerprint(pub(key))).isEqualTo(second.fingerprint());
        assertThat(second).isNotEqualTo(first);
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(pub(key))).isEqualTo("rw-r--r--");
        assertThat(entries(dir)).containsExactlyInAnyOrder("tunnel_key", "tunnel_key.pub");
    }

    @Test
    void failingSshKeygenLeavesTheOldKeyAndNoTemporaryDirectory() throws Exception {
        Path key = dir.resolve("tunnel_key");
        keys.generate(key, me, COMMENT, false);
        byte[] before = Files.readAllBytes(key);
        SshKeygen failing = new SshKeygen(new CommandRunner(), "/bin/false");

        assertThatThrownBy(() -> failing.generate(key, me, COMMENT, true)).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("ssh-keygen failed");
        assertThat(Files.readAllBytes(key)).isEqualTo(before);
        assertThat(entries(dir)).containsExactlyInAnyOrder("tunnel_key", "tunnel_key.pub");
    }

    @Test
    void missingSshKeygenIsAFailureThatLeavesNothing() throws Exception {
        SshKeygen missing = new SshKeygen(new CommandRunner(), dir.resolve("no-such-ssh-keygen").toString());
        Path key = dir.resolve("tunnel_key");

        assertThatThrownBy(() -> missing.generate(key, me, COMMENT, false)).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("cannot create key " + key).satisfies(e -> assertOneLine(e));
        assertThat(entries(dir)).isEmpty();
    }

    @Test
    void publicKeyOfReadsThePublicFile() throws Exception {
        Path key = OpenSsh.generate(dir.resolve("id_ed25519"), "ed25519", "");

        SshPublicKey read = keys.publicKeyOf(key, me);

        assertThat(read).isEqualTo(OpenSshBastion.readPublicKey(pub(key)));
        assertThat(read.fingerprint()).isEqualTo(OpenSsh.fingerprint(key));
    }

    @Test
    void publicKeyOfPrefersThePublicFile() throws Exception {
        Path key = OpenSsh.generate(dir.resolve("id_ed25519"), "ed25519", "");
        Path other = OpenSsh.generate(dir.resolve("other"), "ed25519", "");
        Files.copy(pub(other), pub(key), StandardCopyOption.REPLACE_EXISTING);

        assertThat(keys.publicKeyOf(key, me)).isEqualTo(OpenSshBastion.readPublicKey(pub(other)));
    }

    @Test
    void publicKeyOfDerivesTheKeyWhenThePublicFileIsMissing() throws Exception {
        Path key = OpenSsh.generate(dir.resolve("id_ecdsa"), "ecdsa", "");
        SshPublicKey expected = OpenSshBastion.readPublicKey(pub(key));
        Files.delete(pub(key));

        SshPublicKey derived = keys.publicKeyOf(key, me);

        assertThat(derived).isEqualTo(expected);
        assertThat(pub(key)).as("nothing is written").doesNotExist();
    }

    @Test
    void publicKeyOfAMissingKeySaysHowToCreateOne() {
        Path key = dir.resolve("absent");

        assertThatThrownBy(() -> keys.publicKeyOf(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key " + key + " does not exist")
                .hasMessageContaining("`scitex-tunnel keygen")
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void publicKeyOfAnUnreadablePrivateKeyIsBadInput() throws Exception {
        Path key = dir.resolve("garbage");
        Files.writeString(key, "not a key\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> keys.publicKeyOf(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("cannot read the public key of " + key + ": ")
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void publicKeyOfAMalformedPublicFileIsBadInput() throws Exception {
        Path key = dir.resolve("k");
        Files.writeString(pub(key), "ssh-ed25519 not*base64 comment\n");

        assertThatThrownBy(() -> keys.publicKeyOf(key, me)).isInstanceOf(InvalidInputException.class)
                .hasMessage(pub(key) + " is not an OpenSSH public key");
    }

    @Test
    void defaultPathIsPerPortInTheUsersSshDirectory() {
        assertThat(SshKeygen.defaultPath(me, 2222)).isEqualTo(home.resolve(".ssh/scitex-tunnel-2222_ed25519"));
        assertThat(SshKeygen.defaultPath(me, 65535)).isEqualTo(home.resolve(".ssh/scitex-tunnel-65535_ed25519"));
    }

    @Test
    void publicKeyPathIsTheSiblingWithPubAppended() {
        assertThat(SshKeygen.publicKeyPath(Path.of("/k/id.key"))).isEqualTo(Path.of("/k/id.key.pub"));
    }

    /** As root, for a real unprivileged account: what sudo scitex-tunnel keygen does for its caller. */
    @Test
    void forAnotherUserAFileOutsideTheirPlacesIsNeitherReplacedNorHandedOver() throws Exception {
        ServiceUser nobody = nobody();
        Path shadow = Files.writeString(dir.resolve("shadow"), "root:secret\n");
        Files.setPosixFilePermissions(shadow, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> keys.generate(shadow, nobody, COMMENT, true)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("keygen puts keys only where nobody keeps files").satisfies(e -> assertOneLine(e));

        assertThat(Files.readString(shadow)).isEqualTo("root:secret\n");
        assertThat(Files.getOwner(shadow).getName()).isEqualTo("root");
        assertThat(entries(dir)).containsExactly("shadow");
    }

    @Test
    void forAnotherUserASymlinkAtTheKeysPathIsReplacedNeverFollowed() throws Exception {
        ServiceUser nobody = nobody();
        Path secret = Files.writeString(dir.resolve("secret"), "root's\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path own = ownedBy(Files.createDirectory(dir.resolve("own")), "nobody");
        Path key = Files.createSymbolicLink(own.resolve("key"), secret);

        keys.generate(key, nobody, COMMENT, true);

        assertThat(key).isRegularFile();
        assertThat(Files.isSymbolicLink(key)).isFalse();
        assertThat(Files.getOwner(key, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo("nobody");
        assertThat(Files.readString(secret)).isEqualTo("root's\n");
        assertThat(Files.getOwner(secret).getName()).isEqualTo("root");
        assertThat(mode(secret)).isEqualTo("rw-------");
    }

    @Test
    void forAnotherUserEveryDirectoryMadeAndTheKeyAreTheirs() throws Exception {
        ServiceUser nobody = nobody();
        Path own = ownedBy(Files.createDirectory(dir.resolve("own")), "nobody");
        Path key = own.resolve("a/b/tunnel_key");

        SshPublicKey made = keys.generate(key, nobody, COMMENT, false);

        for (Path path : List.of(own.resolve("a"), own.resolve("a/b"))) {
            assertThat(Files.getOwner(path).getName()).as(path.toString()).isEqualTo("nobody");
            assertThat(mode(path)).as(path.toString()).isEqualTo("rwx------");
        }
        assertThat(Files.getOwner(key).getName()).isEqualTo("nobody");
        assertThat(Files.getOwner(pub(key)).getName()).isEqualTo("nobody");
        assertThat(mode(key)).isEqualTo("rw-------");
        assertThat(mode(pub(key))).isEqualTo("rw-r--r--");
        assertThat(OpenSsh.fingerprint(key)).isEqualTo(made.fingerprint());
        assertThat(entries(own.resolve("a/b"))).containsExactlyInAnyOrder("tunnel_key", "tunnel_key.pub");
    }

    @Test
    void forAnotherUserAPublicKeyThatLinksToRootsFileIsRefusedUnread() throws Exception {
        ServiceUser nobody = nobody();
        Path secret = Files.writeString(dir.resolve("secret"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA root-only\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path own = ownedBy(Files.createDirectory(dir.resolve("own")), "nobody");
        Path key = own.resolve("k");
        keys.generate(key, nobody, COMMENT, false);
        Files.delete(pub(key));
        Files.createSymbolicLink(pub(key), secret);

        assertThatThrownBy(() -> keys.publicKeyOf(key, nobody)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("belongs to root, not to nobody").hasMessageNotContaining("AAAA");
    }

    private ServiceUser nobody() throws IOException {
        Prerequisites.requireRoot("making keys for another user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new Users(new CommandRunner(), Map.of()).lookup("nobody");
    }

    private static Path ownedBy(Path path, String user) throws IOException {
        Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user));
        return path;
    }

    private static Path pub(Path key) {
        return SshKeygen.publicKeyPath(key);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<String> entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
