package io.scitex.tunnel.ssh;

import java.util.regex.Pattern;

/**
 * The bastion's {@code authorized_keys} line for a tunnel key: the key may hold the tunnel's port on the
 * bastion's loopback (and open connections to it, for health probes) — no shell, no command (a forced
 * {@code /bin/false} that a tunnel, which asks for no session, never runs), no pty, no agent or X11
 * forwarding, no other TCP port. {@code permitlisten} speaks of TCP ports only: the same key may still make
 * the bastion listen on a Unix socket, and where the bastion sets {@code GatewayPorts yes} its port listens
 * on every address; the bastion's {@link SshdAccountBlock} closes both.
 *
 * @param port    the tunnel's port
 * @param key     the tunnel's public key
 * @param comment says what the key is for; only {@code [A-Za-z0-9._@-]} are kept, any other character
 *                becomes {@code _}
 */
public record AuthorizedKeyLine(int port, SshPublicKey key, String comment) {
    private static final Pattern UNSAFE_COMMENT = Pattern.compile("[^A-Za-z0-9._@-]");

    public AuthorizedKeyLine {
        comment = UNSAFE_COMMENT.matcher(comment).replaceAll("_");
    }

    /** The options that confine the key to one tunnel. */
    public String options() {
        return "command=\"/bin/false\",restrict,port-forwarding,permitlisten=\"localhost:" + port
                + "\",permitopen=\"localhost:" + port + "\"";
    }

    /** The line, without line break; an empty comment is left out rather than leaving a trailing blank. */
    public String render() {
        return options() + " " + key.type() + " " + key.base64() + (comment.isEmpty() ? "" : " " + comment);
    }
}
