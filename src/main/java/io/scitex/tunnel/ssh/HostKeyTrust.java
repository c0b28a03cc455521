package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Decides which bastion host keys a tunnel trusts, before any unit is written, so that the service never
 * waits on a prompt and never skips verification: a key pinned earlier, else the known_hosts files ssh
 * would consult, else (only when asked with {@code --accept-new}) the key the bastion presents now.
 */
public class HostKeyTrust {
    private final List<Path> knownHostsFiles;
    private final HostKeyScanner scanner;

    /** @param knownHostsFiles the user's and the system's known_hosts, in the order ssh reads them */
    public HostKeyTrust(List<Path> knownHostsFiles, HostKeyScanner scanner) {
        this.knownHostsFiles = List.copyOf(knownHostsFiles);
        this.scanner = scanner;
    }

    /** The known_hosts files ssh reads for a user whose home is {@code home}. */
    public static List<Path> standardFiles(Path home) {
        return List.of(home.resolve(".ssh/known_hosts"), home.resolve(".ssh/known_hosts2"),
                Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2"));
    }

    public TrustedHostKeys resolve(BastionAddress bastion, Path pinFile, boolean acceptNew) {
        String name = bastion.knownHostsName();
        Optional<TrustedHostKeys> pinned = lookup(pinFile, name, HostKeySource.PINNED);
        if (pinned.isPresent()) {
            return pinned.get();
        }
        for (Path file : knownHostsFiles) {
            Optional<TrustedHostKeys> known = lookup(file, name, HostKeySource.KNOWN_HOSTS);
            if (known.isPresent()) {
                return known.get();
            }
        }
        if (!acceptNew) {
            throw new TunnelException("the host key of bastion " + name + " is not known, and a service must never"
                    + " trust an unverified one: connect once by hand to check and store it (" + bastion.sshCommand()
                    + "), or rerun setup with --accept-new to pin the key the bastion presents now");
        }
        try {
            List<SshPublicKey> keys = scanner.scan(bastion);
            if (keys.isEmpty()) {
                throw new TunnelException("could not fetch the host key of bastion " + name
                        + ": is it reachable, and is it an SSH server?");
            }
            return new TrustedHostKeys(keys, HostKeySource.FETCHED, "ssh-keyscan " + name);
        } catch (IOException e) {
            throw new TunnelException("could not fetch the host key of bastion " + name + ": " + e.getMessage(), e);
        }
    }

    private static Optional<TrustedHostKeys> lookup(Path file, String name, HostKeySource source) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try {
            List<SshPublicKey> keys = KnownHosts.parse(Files.readString(file, StandardCharsets.UTF_8)).keysFor(name);
            return keys.isEmpty() ? Optional.empty() : Optional.of(new TrustedHostKeys(keys, source, file.toString()));
        } catch (IOException e) {
            return Optional.empty(); // an unreadable known_hosts is one ssh would skip too
        }
    }
}
