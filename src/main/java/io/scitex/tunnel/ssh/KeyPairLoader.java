package io.scitex.tunnel.ssh;

import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.model.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Optional;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Loads private keys (OpenSSH format and PEM; ed25519, ECDSA, RSA) for MINA SSHD clients. */
public final class KeyPairLoader {
    /** Far more than any passphrase: what is read of a passphrase file. */
    private static final int MAX_PASSPHRASE_BYTES = 64 * 1024;

    private KeyPairLoader() {}

    /** A key without passphrase: passphrase-protected keys are refused with a clear message. */
    public static KeyPair load(Path key) {
        try (InputStream in = Files.newInputStream(key)) {
            return parse(key, in, FilePasswordProvider.EMPTY);
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidInputException("cannot load key " + key + ": " + e.getMessage());
        }
    }

    /**
     * The key a tunnel authenticates with, checked as ssh checks it: it must be a readable private key, not
     * open to group or others when it is the caller's own (ssh's rule), and a passphrase-protected key needs
     * {@code passphraseFile}, whose first line is the passphrase. Every problem is one clear
     * {@link InvalidInputException}.
     */
    public static KeyPair loadForTunnel(Path key, Optional<Path> passphraseFile) {
        byte[] content = readKey(key);
        String text = new String(content, StandardCharsets.ISO_8859_1);
        PrivateKeyCheck.checkContent(key, text, true);
        requireNotExposed(key);
        boolean encrypted = PrivateKeyCheck.isPassphraseProtected(text.stripLeading());
        if (encrypted && passphraseFile.isEmpty()) {
            throw new InvalidInputException("key " + key + " is protected by a passphrase: give it in a file with"
                    + " --passphrase-file FILE (mode 600), or as the systemd credential 'passphrase'");
        }
        FilePasswordProvider passwords = encrypted ? oneTry(readPassphrase(passphraseFile.get())) : FilePasswordProvider.EMPTY;
        try {
            return parse(key, new ByteArrayInputStream(content), passwords);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            if (encrypted) {
                throw new InvalidInputException("the passphrase in " + passphraseFile.get() + " does not decrypt key "
                        + key);
            }
            throw new InvalidInputException("cannot load key " + key + ": " + e.getMessage());
        }
    }

    private static KeyPair parse(Path key, InputStream in, FilePasswordProvider passwords)
            throws IOException, GeneralSecurityException {
        Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()),
                in, passwords);
        Iterator<KeyPair> first = pairs == null ? null : pairs.iterator();
        if (first == null || !first.hasNext()) {
            throw new InvalidInputException("key " + key + " holds no private key this tool can read");
        }
        return first.next();
    }

    private static byte[] readKey(Path key) {
        if (!Files.isRegularFile(key)) {
            throw new InvalidInputException("key " + key + (Files.exists(key) ? " is not a regular file" : " does not exist"));
        }
        return PrivateKeyCheck.readBytes(key);
    }

    /** ssh refuses a key of one's own that group or others may read; so do we. */
    private static void requireNotExposed(Path key) {
        try {
            boolean own = Files.getOwner(key).getName().equals(System.getProperty("user.name"));
            if (own && PrivateFile.isOpenToGroupOrOthers(key)) {
                throw PrivateKeyCheck.openToGroupOrOthers(key);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw PrivateKeyCheck.permissionsUnreadable(key, e);
        }
    }

    /**
     * The passphrase is the file's first line, without its line break. Only a regular file is read, and only
     * its beginning: a FIFO or a device (/dev/zero, a terminal) would never end.
     */
    private static String readPassphrase(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("passphrase file " + file
                    + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        try (InputStream in = Files.newInputStream(file)) {
            String first = new String(in.readNBytes(MAX_PASSPHRASE_BYTES), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            if (first.isEmpty()) {
                throw new InvalidInputException("passphrase file " + file + " is empty");
            }
            return first;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read passphrase file " + file + ": " + e.getMessage());
        }
    }

    /** Offers the passphrase once: a wrong one fails at once instead of being retried. */
    private static FilePasswordProvider oneTry(String passphrase) {
        return new FilePasswordProvider() {
            @Override
            public String getPassword(org.apache.sshd.common.session.SessionContext session, NamedResource resource,
                                      int retryIndex) {
                return retryIndex == 0 ? passphrase : null;
            }

            @Override
            public ResourceDecodeResult handleDecodeAttemptResult(org.apache.sshd.common.session.SessionContext session,
                    NamedResource resource, int retryIndex, String password, Exception err) {
                return ResourceDecodeResult.TERMINATE;
            }
        };
    }
}
