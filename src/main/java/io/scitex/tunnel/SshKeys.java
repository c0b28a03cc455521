package io.scitex.tunnel;

import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.ssh.HostKeyScanner;
import io.scitex.tunnel.ssh.HostKeyTrust;
import io.scitex.tunnel.ssh.TunnelKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The SSH keys a tunnel's connection rests on, for the user who invoked the tool (whom the tunnel runs as):
 * the tunnel's own key (where it is, making it, its bastion line) and the bastion host keys it may trust.
 */
final class SshKeys {
    private final Users users;
    private final CommandRunner runner;
    private final Programs programs;

    SshKeys(Users users, CommandRunner runner, Programs programs) {
        this.users = users;
        this.runner = runner;
        this.programs = programs;
    }

    /** The user who invoked the tool, through sudo too: the tunnel's service runs as them. */
    ServiceUser invokingUser() {
        try {
            return users.invoking();
        } catch (IOException e) {
            throw new TunnelException("cannot tell which user the tunnel should run as: " + e.getMessage(), e);
        }
    }

    /** The key given ({@code ~} is {@code user}'s home), else the tunnel's dedicated one; it may not exist. */
    static Path keyPath(ServiceUser user, int port, Optional<String> key) {
        return key.filter(k -> !k.isBlank()).map(k -> user.expand(k).toAbsolutePath().normalize())
                .orElse(TunnelKeys.defaultPath(user, port));
    }

    /** See {@link ScitexTunnel#keygen}. */
    KeygenResult keygen(int port, Optional<String> key, boolean force) {
        TunnelPort.check(port);
        ServiceUser user = invokingUser();
        Path path = keyPath(user, port, key);
        String comment = keyComment(port);
        var publicKey = tunnelKeys().generate(path, user, comment, force);
        return new KeygenResult(path, user.name(), new AuthorizedKeyLine(port, publicKey, comment));
    }

    /** See {@link ScitexTunnel#authorize}. */
    AuthorizedKeyLine authorize(int port, Optional<String> key) {
        TunnelPort.check(port);
        Path path = keyPath(invokingUser(), port, key);
        return new AuthorizedKeyLine(port, tunnelKeys().publicKeyOf(path), keyComment(port));
    }

    /** Decides which bastion host keys a tunnel of {@code user} trusts: pinned, in their known_hosts, or fetched. */
    HostKeyTrust hostKeyTrust(ServiceUser user) {
        String keyscan = programs.find("ssh-keyscan").map(Path::toString).orElse("ssh-keyscan");
        return new HostKeyTrust(HostKeyTrust.standardFiles(user.home()), new HostKeyScanner(runner, keyscan));
    }

    /** Names the key after its tunnel and this machine, so that the bastion's admin can tell keys apart. */
    private static String keyComment(int port) {
        String host;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            host = "localhost";
        }
        return "scitex-tunnel-" + port + "@" + host;
    }

    private TunnelKeys tunnelKeys() {
        return new TunnelKeys(runner, programs.find("ssh-keygen").map(Path::toString).orElse("ssh-keygen"));
    }
}
