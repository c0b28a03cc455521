package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Loads private keys (OpenSSH format and PEM; ed25519, ECDSA, RSA) for MINA SSHD clients. */
public final class KeyPairs {
    private KeyPairs() {}

    /** The key pair in {@code key}; a passphrase-protected key needs {@code passwords} to supply it. */
    public static KeyPair load(Path key, FilePasswordProvider passwords) {
        try (InputStream in = Files.newInputStream(key)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()),
                    in, passwords);
            Iterator<KeyPair> first = pairs == null ? null : pairs.iterator();
            if (first == null || !first.hasNext()) {
                throw new InvalidInputException("key " + key + " holds no private key this tool can read");
            }
            return first.next();
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidInputException("cannot load key " + key + ": " + e.getMessage());
        }
    }

    /** A key without passphrase: passphrase-protected keys are refused with a clear message. */
    public static KeyPair load(Path key) {
        return load(key, FilePasswordProvider.EMPTY);
    }
}
