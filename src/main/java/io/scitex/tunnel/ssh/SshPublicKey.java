package io.scitex.tunnel.ssh;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A server's public host key as known_hosts stores it.
 *
 * @param type   the key type ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}, ...)
 * @param base64 the key blob, base64-encoded
 */
public record SshPublicKey(String type, String base64) {
    private static final Pattern TYPE = Pattern.compile("[a-z0-9@._-]{3,64}");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    public SshPublicKey {
        if (!TYPE.matcher(type).matches() || !BASE64.matcher(base64).matches()) {
            throw new IllegalArgumentException("not a host key: " + type);
        }
        Base64.getDecoder().decode(base64); // rejects malformed blobs
    }

    /** The fingerprint as {@code ssh-keygen -l} and ssh print it: {@code SHA256:...} without padding. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A known_hosts line that pins this key for {@code hostName} ({@code host} or {@code [host]:port}). */
    public String knownHostsLine(String hostName) {
        return hostName + " " + type + " " + base64;
    }

    @Override
    public String toString() {
        return type + " " + fingerprint();
    }
}
