package io.scitex.tunnel.host;

import java.nio.file.Path;

/**
 * Where tunnels live on this machine.
 *
 * @param unitDirectory   where unit files are written ({@code /etc/systemd/system})
 * @param configDirectory where the tool keeps each tunnel's pinned host keys ({@code /etc/scitex-tunnel})
 * @param lockDirectory   where setup and remove lock a port while they change its tunnel
 *                        ({@code /run/scitex-tunnel/locks}: gone at reboot, as the processes holding them are)
 */
public record SystemLayout(Path unitDirectory, Path configDirectory, Path lockDirectory) {
    public static final SystemLayout DEFAULT = new SystemLayout(Path.of("/etc/systemd/system"),
            Path.of("/etc/scitex-tunnel"), Path.of("/run/scitex-tunnel/locks"));

    /** The directory holding one tunnel's own files. */
    public Path tunnelDirectory(int port) {
        return configDirectory.resolve(Integer.toString(port));
    }

    /** The known_hosts file that holds the bastion host key pinned for one tunnel. */
    public Path knownHosts(int port) {
        return tunnelDirectory(port).resolve("known_hosts");
    }

    /** The file locked while the tunnel on {@code port} is being set up or removed. */
    public Path lockFile(int port) {
        return lockDirectory.resolve(port + ".lock");
    }
}
