package io.scitex.tunnel.demo;

import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.ssh.KeyPairLoader;
import io.scitex.tunnel.ssh.SshKeygen;
import io.scitex.tunnel.ssh.SshPublicKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * Fresh ed25519 key pairs, generated here and written as ssh-keygen writes them (OpenSSH private key, mode
 * 0600, and {@code KEY.pub}), then read back the way the tunnel reads any key.
 */
public final class DemoKeys {
    private DemoKeys() {}

    /** Generates a key pair, writes {@code file} and {@code file.pub}, and returns the pair as read back. */
    public static KeyPair generate(Path file, String comment) throws IOException {
        KeyPair generated;
        try {
            generated = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an ed25519 key: " + e.getMessage(), e);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Files.setPosixFilePermissions(file, PrivateFile.MODE);
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(generated, comment, null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot write key " + file + ": " + e.getMessage(), e);
        }
        Files.writeString(SshKeygen.publicKeyPath(file), PublicKeyEntry.toString(generated.getPublic()) + " " + comment + "\n",
                StandardCharsets.UTF_8);
        return KeyPairLoader.load(file);
    }

    /** The key as known_hosts and authorized_keys hold it. */
    public static SshPublicKey asHostKey(PublicKey key) {
        String[] fields = PublicKeyEntry.toString(key).split(" ");
        return new SshPublicKey(fields[0], fields[1]);
    }
}
