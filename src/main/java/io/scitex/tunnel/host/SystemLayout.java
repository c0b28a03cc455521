package io.scitex.tunnel.host;

import java.nio.file.Path;

/**
 * Where tunnels live on this machine.
 *
 * @param unitDirectory   where unit files are written ({@code /etc/systemd/system})
 * @param configDirectory where the tool keeps each tunnel's pinned host keys ({@code /etc/scitex-tunnel})
 */
public record SystemLayout(Path unitDirectory, Path configDirectory) {
    public static final SystemLayout DEFAULT = new SystemLayout(Path.of("/etc/systemd/system"),
            Path.of("/etc/scitex-tunnel"));

    /** The directory holding one tunnel's own files. */
    public Path tunnelDirectory(int port) {
        return configDirectory.resolve(Integer.toString(port));
    }

    /** The known_hosts file that holds the bastion host key pinned for one tunnel. */
    public Path knownHosts(int port) {
        return tunnelDirectory(port).resolve("known_hosts");
    }
}
