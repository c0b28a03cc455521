package io.scitex.tunnel.ssh;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Dedicated per-tunnel keys: created with ssh-keygen, owned by the service user, private to them. */
public class SshKeygen {
    private final CommandRunner runner;
    private final String keygen;

    public SshKeygen(CommandRunner runner, String keygen) {
        this.runner = runner;
        this.keygen = keygen;
    }

    /** Where {@code keygen -p PORT} puts a tunnel's key: {@code ~/.ssh/scitex-tunnel-PORT_ed25519}. */
    public static Path defaultPath(ServiceUser user, int port) {
        return user.home().resolve(".ssh").resolve("scitex-tunnel-" + port + "_ed25519");
    }

    /**
     * Creates a new ed25519 key without passphrase at {@code key} (and {@code key.pub}), mode 0600, owned
     * by {@code owner}. An existing key is replaced only when {@code force} is set; the new pair appears
     * at once, never half-written.
     */
    public SshPublicKey generate(Path key, ServiceUser owner, String comment, boolean force) {
        if (Files.exists(key) && !force) {
            throw new TunnelException("key " + key + " already exists: use it (setup -s " + key
                    + "), or replace it with keygen --force");
        }
        Path directory = key.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PrivateFile.DIRECTORY_MODE));
                giveTo(directory, owner);
            }
            temporary = Files.createTempDirectory(directory, ".scitex-keygen-");
            Path made = temporary.resolve("key");
            CommandResult result = runner.run(List.of(keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment,
                    "-f", made.toString()));
            if (!result.succeeded()) {
                throw new TunnelException("ssh-keygen failed: " + result.firstErrorLine());
            }
            Path madePublic = temporary.resolve("key.pub");
            Files.setPosixFilePermissions(made, PrivateFile.MODE);
            Files.setPosixFilePermissions(madePublic, PosixFilePermissions.fromString("rw-r--r--"));
            giveTo(made, owner);
            giveTo(madePublic, owner);
            SshPublicKey publicKey = parsePublicKey(Files.readString(madePublic, StandardCharsets.UTF_8), madePublic);
            Files.move(madePublic, publicKeyPath(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(made, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return publicKey;
        } catch (IOException e) {
            throw new TunnelException("cannot create key " + key + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** The public half of a private key: from {@code KEY.pub}, else derived with {@code ssh-keygen -y}. */
    public SshPublicKey publicKeyOf(Path key) {
        Path publicFile = publicKeyPath(key);
        try {
            if (Files.isReadable(publicFile)) {
                return parsePublicKey(Files.readString(publicFile, StandardCharsets.UTF_8), publicFile);
            }
            if (!Files.exists(key)) {
                throw new InvalidInputException("key " + key + " does not exist: create one with"
                        + " `scitex-tunnel keygen -p PORT`, or give an existing key with -s KEY");
            }
            CommandResult derived = runner.run(List.of(keygen, "-y", "-f", key.toString()));
            if (!derived.succeeded()) {
                throw new InvalidInputException("cannot read the public key of " + key + ": " + derived.firstErrorLine());
            }
            return parsePublicKey(derived.stdout(), key);
        } catch (IOException e) {
            throw new TunnelException("cannot read the public key of " + key + ": " + e.getMessage(), e);
        }
    }

    public static Path publicKeyPath(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static SshPublicKey parsePublicKey(String text, Path source) {
        String[] fields = text.strip().split("\\s+");
        try {
            if (fields.length >= 2) {
                return new SshPublicKey(fields[0], fields[1]);
            }
        } catch (IllegalArgumentException malformed) {
            // reported below
        }
        throw new InvalidInputException(source + " is not an OpenSSH public key");
    }

    private static void giveTo(Path path, ServiceUser owner) throws IOException {
        UserPrincipal principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(owner.name());
        if (!Files.getOwner(path).equals(principal)) {
            Files.setOwner(path, principal);
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover empty temporary directory is harmless
        }
    }
}
