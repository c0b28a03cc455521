package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bastion's sshd_config block for the account tunnels log in as: what no authorized_keys option can
 * forbid. OpenSSH's {@code permitlisten} and {@code permitopen} speak of TCP ports only, so a key with the
 * tunnel's {@link AuthorizedKeyLine} may still make the bastion listen on a Unix socket
 * ({@code ssh -R /path:host:port}), and a bastion with {@code GatewayPorts yes} opens its forward on every
 * address instead of its loopback. The block closes both for the account, and takes from all of its logins
 * what a tunnel never uses (terminals, tun devices, X11 and agent forwarding). TCP forwarding stays on in
 * both directions, even where the bastion turns it off for everyone else: the tunnel listens (remote) and its
 * health probe connects to that port (local); each key's line says which port. The block names no port, so
 * one block serves every tunnel of the account, and appending it twice changes nothing.
 *
 * @param account the login on the bastion
 */
public record SshdAccountBlock(String account) {
    /**
     * Login names as {@link io.scitex.tunnel.model.BastionAddress} accepts them. The name becomes a
     * {@code Match User} pattern: {@code *}, {@code ?}, {@code !}, {@code ,} or a blank would widen it to other
     * accounts, a line break would add directives for everyone.
     */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

    public SshdAccountBlock {
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new InvalidInputException("bastion account " + Printable.quoted(String.valueOf(account))
                    + " is not a login name (letters, digits, '.', '_', '-'): name the account with -b USER@BASTION");
        }
    }

    /** The block's lines, without line breaks: a {@code Match User} block, closed so that what follows it applies to all again. */
    public List<String> lines() {
        return List.of(
                "# scitex-tunnel: logins of " + account + " may forward the TCP ports their authorized_keys lines name, and nothing else",
                "Match User " + account,
                "    # the tunnel listens on the bastion (remote), its health check connects to it (local)",
                "    AllowTcpForwarding yes",
                "    # forwards listen on the bastion's loopback, never on its other addresses",
                "    GatewayPorts no",
                "    # permitlisten and permitopen do not cover Unix sockets",
                "    AllowStreamLocalForwarding no",
                "    PermitTunnel no",
                "    PermitTTY no",
                "    X11Forwarding no",
                "    AllowAgentForwarding no",
                "Match all");
    }

    /** The block as sshd_config holds it, each line ending with a line break. */
    public String render() {
        return String.join("\n", lines()) + "\n";
    }
}
