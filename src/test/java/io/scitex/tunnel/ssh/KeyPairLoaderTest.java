package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.testing.Fifo;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link KeyPairLoader#loadForTunnel}: the key checks of the native engine, each failure one clear message. */
class KeyPairLoaderTest {
    @TempDir
    Path dir;
    private KeyPair pair;

    @BeforeEach
    void generate() throws Exception {
        pair = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    }

    @Test
    void aKeyWithoutPassphraseLoads() throws Exception {
        Path key = write("plain", null);
        assertThat(KeyPairLoader.loadForTunnel(key, Optional.empty()).getPublic()).isEqualTo(pair.getPublic());
    }

    @Test
    void aPassphraseProtectedKeyIsRefusedWithoutItsPassphrase() throws Exception {
        Path key = write("protected", "correct horse");

        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.empty()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + key + " is protected by a passphrase: give it in a file with --passphrase-file FILE"
                        + " (mode 600), or as the systemd credential 'passphrase'");
    }

    @Test
    void aPassphraseProtectedKeyLoadsWithThePassphraseFromAFile() throws Exception {
        Path key = write("protected", "correct horse");
        Path passphrase = Files.writeString(dir.resolve("passphrase"), "correct horse\n");

        assertThat(KeyPairLoader.loadForTunnel(key, Optional.of(passphrase)).getPublic()).isEqualTo(pair.getPublic());
    }

    @Test
    void aPassphraseFileThatIsAFifoOrADeviceIsRefusedWithoutReadingIt() throws Exception {
        Path key = write("protected", "correct horse");
        Path fifo = Fifo.make(dir.resolve("passphrase-fifo"));

        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.of(fifo)))
                .isInstanceOf(InvalidInputException.class).hasMessage("passphrase file " + fifo + " is not a regular file");
        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.of(Path.of("/dev/zero"))))
                .isInstanceOf(InvalidInputException.class).hasMessage("passphrase file /dev/zero is not a regular file");
        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.of(dir.resolve("missing"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("passphrase file " + dir.resolve("missing") + " does not exist");
    }

    @Test
    void aWrongOrEmptyPassphraseIsSaidSo() throws Exception {
        Path key = write("protected", "correct horse");
        Path wrong = Files.writeString(dir.resolve("wrong"), "battery staple\n");
        Path empty = Files.writeString(dir.resolve("empty"), "");

        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.of(wrong)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the passphrase in " + wrong + " does not decrypt key " + key);
        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.of(empty)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is empty");
    }

    @Test
    void keysSshWouldRefuseAreRefused() throws Exception {
        Path open = write("open", null);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        Path publicKey = Files.writeString(dir.resolve("id.pub"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA x\n");

        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(open, Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("chmod 600 " + open);
        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(publicKey, Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is a public key");
        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(dir.resolve("missing"), Optional.empty()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void onBehalfOfAUserTheKeyAndThePassphraseFileMustBeTheirs() throws Exception {
        ServiceUser me = new Users(new CommandRunner(), Map.of()).lookup(System.getProperty("user.name"));
        ServiceUser nobody = new ServiceUser("nobody", 65534, Path.of("/nonexistent"));
        Path key = write("protected", "correct horse");
        Path passphrase = Files.writeString(dir.resolve("passphrase"), "correct horse\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));

        assertThat(KeyPairLoader.loadForTunnel(key, Optional.of(passphrase), me).getPublic()).isEqualTo(pair.getPublic());
        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.of(passphrase), nobody))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("key " + key + " belongs to ");
        Path someoneElses = Files.createSymbolicLink(dir.resolve("link"), passphrase);
        assertThatThrownBy(() -> KeyPairLoader.passphrase(someoneElses, UserFiles.of(nobody)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("(a link to ")
                .hasMessageNotContaining("correct horse");
    }

    @Test
    void aPassphraseFileOpenToOthersIsRefused() throws Exception {
        ServiceUser me = new Users(new CommandRunner(), Map.of()).lookup(System.getProperty("user.name"));
        Path key = write("protected", "correct horse");
        Path passphrase = Files.writeString(dir.resolve("passphrase"), "correct horse\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> KeyPairLoader.loadForTunnel(key, Optional.of(passphrase), me))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("passphrase file " + passphrase + " is accessible by group or others: chmod 600 " + passphrase);
    }

    private Path write(String name, String passphrase) throws Exception {
        Path key = dir.resolve(name);
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
        }
        try (OutputStream out = Files.newOutputStream(key)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "test", encryption, out);
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return key;
    }
}
