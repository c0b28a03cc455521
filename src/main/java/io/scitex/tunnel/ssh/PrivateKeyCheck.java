package io.scitex.tunnel.ssh;

import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.model.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * Checks a private key the way ssh will when the service starts, so that problems surface at setup as
 * one clear line instead of as a restart loop: it must exist, be a private (not public) key, be usable
 * without a passphrase, belong to the service user and not be accessible by group or others.
 */
public final class PrivateKeyCheck {
    /** Larger than any SSH private key; bounds what a wrong path can make us read. */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    private PrivateKeyCheck() {}

    public static void check(Path key, ServiceUser user) {
        check(key, user, false);
    }

    /**
     * As {@link #check(Path, ServiceUser)}; with {@code passphraseAllowed} a passphrase-protected key passes
     * too (the native engine reads its passphrase from a file or a systemd credential).
     */
    public static void check(Path key, ServiceUser user, boolean passphraseAllowed) {
        if (!Files.exists(key)) {
            throw new InvalidInputException("key " + key + " does not exist: give the private key file with -s KEY");
        }
        if (!Files.isRegularFile(key)) {
            throw new InvalidInputException("key " + key + " is not a regular file");
        }
        if (!Files.isReadable(key)) {
            throw new InvalidInputException("key " + key + " is not readable by " + System.getProperty("user.name")
                    + ": run with sudo, or fix its owner (chown " + user.name() + " " + key + ")");
        }
        // Read as the user the tunnel runs as: what they cannot read, ssh cannot either.
        UserFiles files = UserFiles.of(user);
        String text = new String(files.read(key, "key", MAX_KEY_BYTES), StandardCharsets.ISO_8859_1);
        checkContent(key, text, passphraseAllowed);
        if (PrivateFile.isOpenToGroupOrOthers(files.check(key, "key", MAX_KEY_BYTES).permissions())) {
            throw openToGroupOrOthers(key);
        }
    }

    static void checkContent(Path key, String text, boolean passphraseAllowed) {
        String first = text.stripLeading();
        if (first.startsWith("ssh-") || first.startsWith("ecdsa-") || first.startsWith("sk-")
                || first.startsWith("---- BEGIN SSH2 PUBLIC KEY")) {
            String hint = key.toString().endsWith(".pub")
                    ? ": give the private key, " + key.toString().replaceAll("\\.pub$", "") : ": give the private key";
            throw new InvalidInputException("key " + key + " is a public key" + hint);
        }
        if (!first.startsWith("-----BEGIN ") || !first.contains("PRIVATE KEY-----")) {
            throw new InvalidInputException("key " + key + " is not an SSH private key (no '-----BEGIN ... PRIVATE KEY-----')");
        }
        boolean passphraseProtected;
        try {
            passphraseProtected = isPassphraseProtected(first);
        } catch (IllegalArgumentException malformed) {
            throw new InvalidInputException("key " + key + " is not a readable OpenSSH private key: "
                    + malformed.getMessage());
        }
        if (!passphraseAllowed && passphraseProtected) {
            throw new InvalidInputException("key " + key + " is protected by a passphrase, which a service cannot type:"
                    + " use a key without one for the tunnel (ssh-keygen -t ed25519 -N '' -f KEY), or give the"
                    + " passphrase in a file to the native engine (--engine native --passphrase-file FILE)");
        }
    }

    /** A key of one's own that group or others may access, which ssh refuses. */
    static InvalidInputException openToGroupOrOthers(Path key) {
        return new InvalidInputException("key " + key + " is accessible by group or others, and ssh refuses such keys:"
                + " chmod 600 " + key);
    }

    /** The key's permissions could not be read, so whether ssh would accept it is unknown. */
    static InvalidInputException permissionsUnreadable(Path key, Exception why) {
        return new InvalidInputException("cannot read the permissions of key " + key + ": " + why.getMessage());
    }

    /** Whether the private key in {@code key}, a file of {@code owner}'s, needs a passphrase. */
    public static boolean isPassphraseProtected(Path key, ServiceUser owner) {
        byte[] content = UserFiles.of(owner).read(key, "key", MAX_KEY_BYTES);
        return isPassphraseProtected(new String(content, StandardCharsets.ISO_8859_1).stripLeading());
    }

    /**
     * OpenSSH-format keys name their cipher ("none" when unencrypted); PEM keys say ENCRYPTED. Throws
     * {@link IllegalArgumentException} saying what is wrong if an OpenSSH key's header cannot be read.
     */
    static boolean isPassphraseProtected(String text) {
        if (text.contains("ENCRYPTED")) {
            return true;
        }
        if (!text.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) {
            return false;
        }
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        body = body.substring(0, Math.min(body.length(), 96) / 4 * 4); // the header is enough
        byte[] header;
        try {
            header = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("its content is not base64");
        }
        byte[] magic = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
        if (header.length < magic.length + 4
                || !Arrays.equals(Arrays.copyOf(header, magic.length), magic)) {
            throw new IllegalArgumentException("it does not start with the openssh-key-v1 header");
        }
        ByteBuffer blob = ByteBuffer.wrap(header, magic.length, header.length - magic.length);
        int length = blob.getInt();
        if (length < 1 || length > blob.remaining()) {
            throw new IllegalArgumentException("its cipher name is cut off");
        }
        byte[] cipher = new byte[length];
        blob.get(cipher);
        return !new String(cipher, StandardCharsets.US_ASCII).equals("none");
    }

    /** The first 64 KiB of the key file: the whole of any real key. */
    static byte[] readBytes(Path key) {
        try (InputStream in = Files.newInputStream(key)) {
            return in.readNBytes(MAX_KEY_BYTES);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read key " + key + ": " + e.getMessage());
        }
    }
}
