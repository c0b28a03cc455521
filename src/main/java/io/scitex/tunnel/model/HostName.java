package io.scitex.tunnel.model;

import java.util.regex.Pattern;

/**
 * Host names and addresses as they may appear in an ssh command line or a known_hosts entry: a DNS name,
 * an IPv4 address or an IPv6 address (without brackets). Anything else — whitespace, quotes, a leading
 * dash that ssh would take for an option — is rejected.
 */
public final class HostName {
    private static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
                    + "(?:\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,15})?");

    private HostName() {}

    /** Returns the host, lower-cased as ssh does, or throws if it is not a host name or address. */
    public static String check(String host, String what) {
        Checks.check(host != null && !host.isEmpty(), "%s has no host name", what);
        Checks.check(host.charAt(0) != '-', "%s host %s starts with '-': it would be read as an option",
                what, Printable.quoted(host));
        boolean ok = DNS_NAME.matcher(host).matches() || (host.contains(":") && IPV6.matcher(host).matches());
        Checks.check(ok, "%s host %s is not a host name or IP address", what, Printable.quoted(host));
        return host.toLowerCase(java.util.Locale.ROOT);
    }

    /** The host as it is written together with a port: IPv6 addresses go in brackets. */
    public static String withPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
