package io.scitex.tunnel.host;

import io.scitex.tunnel.model.ServiceScope;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where tunnels live: on the machine (root's), or in one user's own directories (user services).
 *
 * @param unitDirectory   where unit files are written ({@code /etc/systemd/system}; for a user
 *                        {@code $XDG_CONFIG_HOME/systemd/user})
 * @param configDirectory where the tool keeps each tunnel's own files ({@code /etc/scitex-tunnel}; for a user
 *                        {@code $XDG_CONFIG_HOME/scitex-tunnel}): its pinned host keys and the copy of its key's
 *                        passphrase
 * @param lockDirectory   where setup and remove lock a port while they change its tunnel
 *                        ({@code /run/scitex-tunnel/locks}; for a user {@code $XDG_RUNTIME_DIR/scitex-tunnel/locks}:
 *                        gone at reboot, as the processes holding them are)
 * @param scope           whose service manager runs the tunnels
 * @param runtimeDirectory the service manager's runtime directory: {@code /run}, or the user's
 *                        {@code $XDG_RUNTIME_DIR} ({@code /run/user/UID}), where its control socket lives
 */
public record SystemLayout(Path unitDirectory, Path configDirectory, Path lockDirectory, ServiceScope scope,
                           Path runtimeDirectory) {
    public static final SystemLayout DEFAULT = new SystemLayout(Path.of("/etc/systemd/system"),
            Path.of("/etc/scitex-tunnel"), Path.of("/run/scitex-tunnel/locks"));

    /** The machine's tunnels, with these directories. */
    public SystemLayout(Path unitDirectory, Path configDirectory, Path lockDirectory) {
        this(unitDirectory, configDirectory, lockDirectory, ServiceScope.SYSTEM, Path.of("/run"));
    }

    /**
     * {@code user}'s own tunnels: units in {@code $XDG_CONFIG_HOME/systemd/user} (default {@code ~/.config}), the
     * tool's files in {@code $XDG_CONFIG_HOME/scitex-tunnel}, locks in {@code $XDG_RUNTIME_DIR} (default
     * {@code /run/user/UID}). Relative values are ignored, as the XDG base directory specification says.
     */
    public static SystemLayout user(ServiceUser user, Map<String, String> environment) {
        Path config = absolute(environment.get("XDG_CONFIG_HOME")).orElse(user.home().resolve(".config"));
        Path runtime = absolute(environment.get("XDG_RUNTIME_DIR")).orElse(Path.of("/run/user/" + user.uid()));
        return new SystemLayout(config.resolve("systemd/user"), config.resolve("scitex-tunnel"),
                runtime.resolve("scitex-tunnel/locks"), ServiceScope.USER, runtime);
    }

    private static Optional<Path> absolute(String value) {
        return value == null || value.isEmpty() || !value.startsWith("/") ? Optional.empty()
                : Optional.of(Path.of(value));
    }

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
     * ({@code LoadCredential=}): root's own file for a system tunnel, so that systemd, reading it as root at
     * every start, never follows a path the user controls; the user's own for a user tunnel.
     */
    public Path passphrase(int port) {
        return tunnelDirectory(port).resolve("passphrase");
    }
}
