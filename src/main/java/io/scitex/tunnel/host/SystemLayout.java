package io.scitex.tunnel.host;

import java.nio.file.Path;

/**
 * Where tunnels live on this machine.
 *
 * @param unitDirectory   where unit files are written ({@code /etc/systemd/system})
 * @param configDirectory where the tool keeps each tunnel's own files, root's ({@code /etc/scitex-tunnel}): its
 *                        pinned host keys and the copy of its key's passphrase
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

    /**
     * The copy of the key's passphrase that the native engine's unit hands to the service
     * ({@code LoadCredential=}): root's own file, so that systemd, reading it as root at every start, never
     * follows a path the user controls.
     */
    public Path passphrase(int port) {
        return tunnelDirectory(port).resolve("passphrase");
    }
}
