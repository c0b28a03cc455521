package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.ssh.HostKeyScanner;
import io.scitex.tunnel.ssh.HostKeyTrust;
import io.scitex.tunnel.ssh.SshKeygen;
import io.scitex.tunnel.ssh.SshdAccountBlock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SSH keys a tunnel's connection rests on, for the user who invoked the tool (whom the tunnel runs as):
 * the tunnel's own key (where it is, making it, its bastion line) and the bastion host keys it may trust.
 */
public final class TunnelKeySetup {
    private final Users users;
    private final CommandRunner runner;
    private final Programs programs;
    private final Supplier<String> hostName;

    /** @param hostName this machine's name, for the comment of the keys made here */
    public TunnelKeySetup(Users users, CommandRunner runner, Programs programs, Supplier<String> hostName) {
        this.users = users;
        this.runner = runner;
        this.programs = programs;
        this.hostName = hostName;
    }

    /** The user who invoked the tool, through sudo too: the tunnel's service runs as them. */
    ServiceUser invokingUser() {
        try {
            return users.invoking();
        } catch (IOException e) {
            throw new TunnelException("cannot tell which user the tunnel should run as: " + e.getMessage(), e);
        }
    }

    /** The user {@code name}s, else the invoking user: whom a declared tunnel runs as. */
    ServiceUser user(Optional<String> name) {
        if (name.isEmpty()) {
            return invokingUser();
        }
        try {
            return users.lookup(name.get());
        } catch (IOException e) {
            throw new InvalidInputException("user " + Printable.quoted(name.get()) + " does not exist on this machine: "
                    + e.getMessage());
        }
    }

    /** Does file work on behalf of {@code user} with their own rights. */
    AsUser asUser(ServiceUser user) {
        return AsUser.of(runner, user);
    }

    /** The key given ({@code ~} is {@code user}'s home), else the tunnel's dedicated one; it may not exist. */
    static Path keyPath(ServiceUser user, int port, Optional<String> key) {
        return key.filter(k -> !k.isBlank()).map(k -> user.expand(k).toAbsolutePath().normalize())
                .orElse(SshKeygen.defaultPath(user, port));
    }

    /** See {@link io.scitex.tunnel.ScitexTunnel#keygen}. */
    public KeygenResult keygen(int port, Optional<String> key, boolean force) {
        TunnelPort.check(port);
        ServiceUser user = invokingUser();
        Path path = keyPath(user, port, key);
        String comment = keyComment(port);
        var publicKey = tunnelKeys().generate(path, user, comment, force);
        return new KeygenResult(path, user.name(), new AuthorizedKeyLine(port, publicKey, comment));
    }

    /** See {@link io.scitex.tunnel.ScitexTunnel#authorize}. */
    public AuthorizedKeyLine authorize(int port, Optional<String> key) {
        TunnelPort.check(port);
        ServiceUser user = invokingUser();
        Path path = keyPath(user, port, key);
        return new AuthorizedKeyLine(port, tunnelKeys().publicKeyOf(path, user), keyComment(port));
    }

    /** See {@link io.scitex.tunnel.ScitexTunnel#sshdBlock}. */
    public SshdAccountBlock sshdBlock(Optional<String> account) {
        return new SshdAccountBlock(account.orElseGet(() -> invokingUser().name()));
    }

    /** Decides which bastion host keys a tunnel of {@code user} trusts: pinned, in their known_hosts, or fetched. */
    HostKeyTrust hostKeyTrust(ServiceUser user) {
        String keyscan = programs.find("ssh-keyscan").map(Path::toString).orElse("ssh-keyscan");
        return new HostKeyTrust(HostKeyTrust.standardFiles(user.home()), new HostKeyScanner(runner, keyscan));
    }

    /** Names the key after its tunnel and this machine, so that the bastion's admin can tell keys apart. */
    private String keyComment(int port) {
        return "scitex-tunnel-" + port + "@" + hostName.get();
    }

    private SshKeygen tunnelKeys() {
        return new SshKeygen(runner, programs.find("ssh-keygen").map(Path::toString).orElse("ssh-keygen"));
    }
}
