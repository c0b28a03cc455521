package io.scitex.tunnel.model;

/**
 * Where connections arriving at the bastion's forwarded port are sent, as seen from the tunnelled machine.
 *
 * @param host host name or address, lower-cased, without brackets
 * @param port TCP port
 */
public record TargetAddress(String host, int port) {
    /** The machine's own sshd, as in the seed. */
    public static final TargetAddress LOCAL_SSHD = new TargetAddress("localhost", 22);

    public TargetAddress {
        host = HostName.check(host, "target");
        Checks.checkPort(port, "target port");
    }

    /** Parses {@code HOST:PORT} or {@code [IPV6]:PORT}. */
    public static TargetAddress parse(String text) {
        Checks.check(text != null && !text.isBlank(), "target is missing: give HOST:PORT");
        int colon = text.lastIndexOf(':');
        Checks.check(colon > 0, "target %s must be HOST:PORT", Printable.quoted(text));
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new TargetAddress(host, Checks.parsePort(text.substring(colon + 1), "target port"));
    }

    @Override
    public String toString() {
        return HostName.withPort(host, port);
    }
}
