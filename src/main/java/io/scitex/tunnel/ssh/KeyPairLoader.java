package io.scitex.tunnel.ssh;

import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
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
import java.util.function.Function;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Loads private keys (OpenSSH format and PEM; ed25519, ECDSA, RSA) for MINA SSHD clients. */
public final class KeyPairLoader {
    /** Far more than any passphrase; bounds what a wrong path can make us read. */
    public static final int MAX_PASSPHRASE_BYTES = 4096;

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
     * {@link InvalidInputException}. For this process's own files; {@link #loadForTunnel(Path, Optional,
     * ServiceUser)} reads another user's.
     */
    public static KeyPair loadForTunnel(Path key, Optional<Path> passphraseFile) {
        return load(key, readKey(key), () -> requireNotExposed(key), passphraseFile,
                file -> passphraseIn(file, readPassphraseFile(file)));
    }

    /**
     * As {@link #loadForTunnel(Path, Optional)}, for the files of {@code owner}, read on their behalf (as root):
     * both must be regular files of theirs, private to them, and are read with their rights ({@link UserFiles}).
     */
    public static KeyPair loadForTunnel(Path key, Optional<Path> passphraseFile, ServiceUser owner) {
        UserFiles files = UserFiles.of(owner);
        Runnable requirePrivate = () -> {
            if (PrivateFile.isOpenToGroupOrOthers(files.check(key, "key", PrivateKeyCheck.MAX_KEY_BYTES).permissions())) {
                throw PrivateKeyCheck.openToGroupOrOthers(key);
            }
        };
        return load(key, files.read(key, "key", PrivateKeyCheck.MAX_KEY_BYTES), requirePrivate, passphraseFile,
                file -> passphrase(file, files));
    }

    /**
     * The passphrase in {@code file}, read on behalf of the owner of {@code files}: it must be theirs and
     * private to them (as a key is), and its first line is the passphrase.
     */
    public static String passphrase(Path file, UserFiles files) {
        if (PrivateFile.isOpenToGroupOrOthers(files.check(file, "passphrase file", MAX_PASSPHRASE_BYTES).permissions())) {
            throw new InvalidInputException("passphrase file " + Printable.escape(file.toString())
                    + " is accessible by group or others: chmod 600 " + Printable.escape(file.toString()));
        }
        return passphraseIn(file, files.read(file, "passphrase file", MAX_PASSPHRASE_BYTES));
    }

    /** @param requirePrivate throws unless the key is private to its owner, as ssh requires */
    private static KeyPair load(Path key, byte[] content, Runnable requirePrivate, Optional<Path> passphraseFile,
                                Function<Path, String> passphraseOf) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        PrivateKeyCheck.checkContent(key, text, true);
        requirePrivate.run();
        boolean encrypted = PrivateKeyCheck.isPassphraseProtected(text.stripLeading());
        if (encrypted && passphraseFile.isEmpty()) {
            throw new InvalidInputException("key " + key + " is protected by a passphrase: give it in a file with"
                    + " --passphrase-file FILE (mode 600), or as the systemd credential 'passphrase'");
        }
        FilePasswordProvider passwords = encrypted ? oneTry(passphraseOf.apply(passphraseFile.get()))
                : FilePasswordProvider.EMPTY;
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

    /** Only a regular file is read, and only its beginning: a FIFO or a device (/dev/zero) would never end. */
    private static byte[] readPassphraseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("passphrase file " + file
                    + (Files.exists(file) ? " is not a regular file" : " does not exist"));
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_PASSPHRASE_BYTES);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read passphrase file " + file + ": " + e.getMessage());
        }
    }

    /** The passphrase is the file's first line, without its line break. */
    private static String passphraseIn(Path file, byte[] content) {
        String first = new String(content, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        if (first.isEmpty()) {
            throw new InvalidInputException("passphrase file " + file + " is empty");
        }
        return first;
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
