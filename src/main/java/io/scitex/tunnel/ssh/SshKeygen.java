package io.scitex.tunnel.ssh;

import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Dedicated per-tunnel keys: created with ssh-keygen, owned by the service user, private to them. Every step
 * that touches the key's directory (making it, the temporary directory, ssh-keygen, the final rename) runs
 * with the user's own rights ({@link AsUser}): under sudo, root never creates, chowns or replaces a file in a
 * place the user controls, so neither a symlink nor a path the user cannot write leads it astray.
 */
public class SshKeygen {
    /** Larger than any OpenSSH public key line. */
    private static final int MAX_PUBLIC_KEY_BYTES = 64 * 1024;
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
     * Creates a new ed25519 key without passphrase at {@code key} (and {@code key.pub}), mode 0600, owned by
     * {@code owner}, in {@code owner}'s home or in a directory they own; directories made on the way are
     * theirs too (mode 0700). An existing key (or a symlink in its place, which is replaced, never followed)
     * is replaced only when {@code force} is set; the new pair appears at once, never half-written.
     */
    public SshPublicKey generate(Path key, ServiceUser owner, String comment, boolean force) {
        if (Files.exists(key, LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new TunnelException("key " + key + " already exists: use it (setup -s " + key
                    + "), or replace it with keygen --force");
        }
        AsUser user = AsUser.of(runner, owner);
        Path directory = key.toAbsolutePath().getParent();
        requireUsersPlace(directory, owner);
        Path temporary = null;
        try {
            createDirectories(directory, user);
            temporary = Path.of(succeeded(user.run(List.of("mktemp", "-d", "--",
                    directory.resolve(".scitex-keygen-XXXXXXXX").toString())), "mktemp").stdout().strip());
            Path made = temporary.resolve("key");
            Path madePublic = temporary.resolve("key.pub");
            succeeded(user.run(List.of(keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", made.toString())),
                    "ssh-keygen");
            // ssh-keygen writes the public half with the umask's mode; it is public.
            succeeded(user.run(List.of("chmod", "0644", "--", madePublic.toString())), "chmod");
            SshPublicKey publicKey = parsePublicKey(new String(new UserFiles(user).read(madePublic, "public key",
                    MAX_PUBLIC_KEY_BYTES), StandardCharsets.UTF_8), madePublic);
            // rename(2), as the user: a symlink at the final path is replaced, not followed.
            succeeded(user.run(List.of("mv", "-f", "-T", "--", madePublic.toString(), publicKeyPath(key).toString())), "mv");
            succeeded(user.run(List.of("mv", "-f", "-T", "--", made.toString(), key.toString())), "mv");
            return publicKey;
        } catch (IOException e) {
            throw new TunnelException("cannot create key " + key + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary, user);
        }
    }

    /**
     * The public half of {@code owner}'s private key: from {@code KEY.pub} (a file of theirs), else derived
     * with {@code ssh-keygen -y}, run as them.
     */
    public SshPublicKey publicKeyOf(Path key, ServiceUser owner) {
        Path publicFile = publicKeyPath(key);
        AsUser user = AsUser.of(runner, owner);
        if (Files.exists(publicFile)) {
            return parsePublicKey(new String(new UserFiles(user).read(publicFile, "public key", MAX_PUBLIC_KEY_BYTES),
                    StandardCharsets.UTF_8), publicFile);
        }
        if (!Files.exists(key)) {
            throw new InvalidInputException("key " + key + " does not exist: create one with"
                    + " `scitex-tunnel keygen -p PORT`, or give an existing key with -s KEY");
        }
        try {
            CommandResult derived = user.run(List.of(keygen, "-y", "-f", key.toString()));
            if (!derived.succeeded()) {
                throw new InvalidInputException("cannot read the public key of " + key + ": "
                        + Printable.escape(derived.firstErrorLine()));
            }
            return parsePublicKey(derived.stdout(), key);
        } catch (IOException e) {
            throw new TunnelException("cannot read the public key of " + key + ": " + e.getMessage(), e);
        }
    }

    public static Path publicKeyPath(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    /**
     * Keys go where their owner may keep files: in their home, or in a directory of theirs. The first existing
     * directory on the way to the key's decides (symlinks resolved), as it is where the key is created.
     */
    private static void requireUsersPlace(Path directory, ServiceUser owner) {
        Path existing = directory;
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        try {
            Path real = existing.toRealPath();
            Path home = Files.exists(owner.home()) ? owner.home().toRealPath() : owner.home();
            String realOwner = Files.getOwner(real).getName();
            if (!real.startsWith(home) && !realOwner.equals(owner.name())) {
                throw new InvalidInputException("keygen puts keys only where " + owner.name() + " keeps files: in "
                        + home + " or in a directory of theirs, and " + Printable.escape(real.toString())
                        + " belongs to " + realOwner + ": choose a path there with -s KEY");
            }
        } catch (IOException e) {
            throw new TunnelException("cannot tell who owns " + Printable.escape(existing.toString()) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Makes the missing directories on the way to {@code directory}, outermost first, each the user's, 0700. */
    private static void createDirectories(Path directory, AsUser user) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path path = directory; path != null && !Files.exists(path, LinkOption.NOFOLLOW_LINKS); path = path.getParent()) {
            missing.push(path);
        }
        for (Path path : missing) {
            succeeded(user.run(List.of("mkdir", "-m", "0700", "--", path.toString())), "mkdir");
        }
    }

    private static CommandResult succeeded(CommandResult result, String what) {
        if (!result.succeeded()) {
            throw new TunnelException(what + " failed: " + Printable.escape(result.firstErrorLine()));
        }
        return result;
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

    private static void deleteQuietly(Path directory, AsUser user) {
        if (directory == null) {
            return;
        }
        try {
            user.run(List.of("rm", "-rf", "--", directory.toString()));
        } catch (IOException ignored) {
            // a leftover temporary directory holds no more than the user's own new key
        }
    }
}
