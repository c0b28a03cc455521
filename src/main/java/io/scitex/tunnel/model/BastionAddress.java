package io.scitex.tunnel.model;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the tunnel connects to: {@code [user@]host[:sshport]}, as given to {@code setup -b}. IPv6
 * addresses go in brackets ({@code user@[2001:db8::1]:2200}).
 *
 * @param user the login on the bastion, or empty to let ssh use the service user's name
 * @param host host name or address, lower-cased, without brackets
 * @param port the bastion's SSH port
 */
public record BastionAddress(Optional<String> user, String host, int port) {
    public static final int DEFAULT_SSH_PORT = 22;
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\\$?");

    public BastionAddress {
        user.ifPresent(BastionAddress::checkUser);
        host = HostName.check(host, "bastion");
        Checks.checkPort(port, "bastion SSH port");
    }

    public static BastionAddress parse(String text) {
        Checks.check(text != null && !text.isBlank(), "bastion is missing: give -b [user@]host[:sshport]");
        Checks.check(text.chars().noneMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)),
                "bastion %s contains whitespace or a control character", Printable.quoted(text));
        Checks.check(!text.startsWith("-"), "bastion %s starts with '-': it would be read as an ssh option",
                Printable.quoted(text));
        int at = text.lastIndexOf('@');
        Optional<String> user = at < 0 ? Optional.empty() : Optional.of(text.substring(0, at));
        String hostPort = text.substring(at + 1);
        String host;
        int port = DEFAULT_SSH_PORT;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            Checks.check(close > 0, "bastion %s has an unclosed '['", Printable.quoted(text));
            host = hostPort.substring(1, close);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty()) {
                Checks.check(rest.startsWith(":"), "bastion %s: expected ':PORT' after ']'", Printable.quoted(text));
                port = Checks.parsePort(rest.substring(1), "bastion SSH port");
            }
        } else if (hostPort.indexOf(':') != hostPort.lastIndexOf(':')) {
            host = hostPort; // a bare IPv6 address: no port possible
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (colon >= 0) {
                port = Checks.parsePort(hostPort.substring(colon + 1), "bastion SSH port");
            }
        }
        return new BastionAddress(user, host, port);
    }

    private static void checkUser(String user) {
        Checks.check(!user.isEmpty(), "bastion user before '@' is empty");
        Checks.check(USER.matcher(user).matches(),
                "bastion user %s is not a valid login name (letters, digits, '.', '_', '-')", Printable.quoted(user));
    }

    /** The name under which ssh looks this bastion up in known_hosts: {@code host} or {@code [host]:port}. */
    public String knownHostsName() {
        return port == DEFAULT_SSH_PORT ? host : "[" + host + "]:" + port;
    }

    /** The command that logs in here by hand, which messages suggest for checking and storing the host key. */
    public String sshCommand() {
        return "ssh -p " + port + " " + user.map(u -> u + "@").orElse("") + host;
    }

    @Override
    public String toString() {
        String userPart = user.map(u -> u + "@").orElse("");
        return port == DEFAULT_SSH_PORT && !host.contains(":")
                ? userPart + host
                : userPart + (host.contains(":") ? "[" + host + "]" : host) + (port == DEFAULT_SSH_PORT ? "" : ":" + port);
    }
}
