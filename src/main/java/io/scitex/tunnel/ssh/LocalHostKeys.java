package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This machine's own sshd host keys ({@code /etc/ssh/ssh_host_*_key.pub}): the key people who connect
 * through a tunnel should pin. The strongest present is chosen: ed25519, then ECDSA, then RSA, the order
 * OpenSSH's client prefers.
 */
public final class LocalHostKeys {
    public static final Path DEFAULT_DIRECTORY = Path.of("/etc/ssh");
    private static final List<String> PREFERRED = List.of("ssh_host_ed25519_key.pub", "ssh_host_ecdsa_key.pub",
            "ssh_host_rsa_key.pub");
    private static final int MAX_BYTES = 16 * 1024;
    private final Path directory;

    public LocalHostKeys(Path directory) {
        this.directory = directory;
    }

    /** The preferred host key of this machine's sshd; a TunnelException says there is none. */
    public SshPublicKey preferred() {
        for (String name : PREFERRED) {
            Path file = directory.resolve(name);
            if (Files.isRegularFile(file)) {
                return read(file);
            }
        }
        throw new TunnelException("no sshd host key in " + directory + " (" + String.join(", ", PREFERRED)
                + "): is openssh-server installed? Name the key with --host-key FILE");
    }

    /**
     * Every public host key in the directory ({@code ssh_host_*_key.pub}): regular files, not links, of root's
     * (or of this process's own user); none when they cannot be read, and then nothing is compared with them.
     */
    public List<SshPublicKey> all() {
        List<SshPublicKey> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "ssh_host_*_key.pub")) {
            for (Path file : files) {
                PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                String owner = attributes.owner().getName();
                if (attributes.isRegularFile() && attributes.size() <= MAX_BYTES
                        && (owner.equals("root") || owner.equals(System.getProperty("user.name")))) {
                    String[] words = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
                    (words.length >= 2 ? parse(words[0], words[1]) : Optional.<SshPublicKey>empty()).ifPresent(keys::add);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
        return List.copyOf(keys);
    }

    /** A public key file: {@code TYPE BASE64 [COMMENT]}. */
    public static SshPublicKey read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new TunnelException("host key " + Printable.quoted(file.toString()) + " is too large for a public key");
            }
            String[] words = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\s+");
            Optional<SshPublicKey> key = words.length >= 2 ? parse(words[0], words[1]) : Optional.empty();
            return key.orElseThrow(() -> new TunnelException("host key " + Printable.quoted(file.toString())
                    + " is not an OpenSSH public key (TYPE BASE64 [COMMENT])"));
        } catch (IOException e) {
            throw new TunnelException("cannot read host key " + Printable.quoted(file.toString()) + ": " + e.getMessage(), e);
        }
    }

    private static Optional<SshPublicKey> parse(String type, String base64) {
        try {
            return Optional.of(new SshPublicKey(type, base64));
        } catch (IllegalArgumentException notAKey) {
            return Optional.empty();
        }
    }
}
