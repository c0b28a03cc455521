package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * For the people who connect: the OpenSSH {@code Host} block that reaches this machine through its tunnel
 * ({@code ssh NAME}), jumping through the tunnel's bastion to the tunnel's port on the bastion's loopback, and
 * the known_hosts line that pins this machine's own host key under {@code NAME}. ssh checks the key under the
 * alias ({@code HostKeyAlias}), not under {@code localhost:PORT}, which on the bastion belongs to whichever
 * machine holds the port; with the line in place the first {@code ssh NAME} needs no prompt.
 *
 * @param name    the alias people type; also the name the host key is pinned under
 * @param port    the tunnel's port on the bastion
 * @param login   the account on this machine, when not the connecting person's own name
 * @param jump    the tunnel's bastion, as its unit logs in to it
 * @param hostKey this machine's sshd host key
 */
public record ClientHostBlock(String name, int port, Optional<String> login, BastionAddress jump, SshPublicKey hostKey) {
    /** ssh_config Host patterns and HostKeyAlias take a word: no blanks, wildcards, negation or quotes. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern LOGIN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

    public ClientHostBlock {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInputException("name " + Printable.quoted(name)
                    + " cannot be an ssh Host alias: use letters, digits, '.', '_' and '-' (give one with --name)");
        }
        login.ifPresent(l -> {
            if (!LOGIN.matcher(l).matches()) {
                throw new InvalidInputException("login " + Printable.quoted(l) + " is not a login name");
            }
        });
    }

    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("# " + name + " through its scitex-tunnel on port " + port + " of " + jump.host());
        lines.add("Host " + name);
        lines.add("    HostName localhost");
        lines.add("    Port " + port);
        login.ifPresent(l -> lines.add("    User " + l));
        lines.add("    ProxyJump " + jumpSpec());
        lines.add("    HostKeyAlias " + name);
        return lines;
    }

    /** {@code [user@]host[:port]} as ProxyJump takes it; an IPv6 bastion in brackets. */
    String jumpSpec() {
        String host = jump.host().contains(":") ? "[" + jump.host() + "]" : jump.host();
        return jump.user().map(u -> u + "@").orElse("") + host
                + (jump.port() == BastionAddress.DEFAULT_SSH_PORT ? "" : ":" + jump.port());
    }

    public String render() {
        return String.join("\n", lines()) + "\n";
    }

    /** The line for the connecting person's {@code ~/.ssh/known_hosts}. */
    public String knownHostsLine() {
        return hostKey.knownHostsLine(name);
    }
}
