package io.scitex.tunnel.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of address-shaped text: valid addresses, and the same with hostile parts spliced in. */
public final class Addresses {
    private static final List<String> STRUCTURE = List.of("@", ":", "[", "]", ".", "%", "::", "::1", "22",
            "2200", "0", "65535", "65536", "99999", "-", "_", "$", "user", "root", "host", "example.com",
            "2001:db8::1", "fe80::1%eth0", "10.0.0.1", "localhost", "ProxyCommand=", "-oProxyCommand=x");

    private Addresses() {}

    public static Arbitrary<String> user() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric().withChars("._-")
                .ofMinLength(1).ofMaxLength(12).filter(u -> Character.isLetterOrDigit(u.charAt(0)));
    }

    public static Arbitrary<String> dnsName() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').numeric()
                .ofMinLength(1).ofMaxLength(10);
        return label.list().ofMinSize(1).ofMaxSize(4).map(labels -> String.join(".", labels));
    }

    public static Arbitrary<String> ipv4() {
        return Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(parts -> String.join(".", parts.stream().map(String::valueOf).toList()));
    }

    public static Arbitrary<String> ipv6() {
        return Arbitraries.oneOf(
                Arbitraries.of("::1", "::", "2001:db8::1", "fe80::1%eth0", "::ffff:192.0.2.1", "2001:DB8:0:0:8:800:200C:417A"),
                Arbitraries.integers().between(0, 0xffff).list().ofSize(8)
                        .map(groups -> String.join(":", groups.stream().map(Integer::toHexString).toList())));
    }

    public static Arbitrary<String> port() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 65535).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("0", "22", "65536", "00022", "")));
    }

    /** {@code [user@]host[:port]} as a user would write it, IPv6 in brackets or bare. */
    public static Arbitrary<String> bastion() {
        Arbitrary<String> userPart = Arbitraries.oneOf(Arbitraries.just(""), user().map(u -> u + "@"));
        Arbitrary<String> portPart = Arbitraries.oneOf(Arbitraries.just(""), port().map(p -> ":" + p));
        Arbitrary<String> hostPort = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.oneOf(dnsName(), ipv4()), portPart).as((h, p) -> h + p),
                Combinators.combine(ipv6(), portPart).as((h, p) -> "[" + h + "]" + p),
                ipv6());
        return Combinators.combine(userPart, hostPort).as((u, h) -> u + h);
    }

    /** {@code host:port} with IPv6 in brackets. */
    public static Arbitrary<String> target() {
        Arbitrary<String> host = Arbitraries.oneOf(dnsName(), ipv4(), ipv6().map(h -> "[" + h + "]"));
        return Combinators.combine(host, port()).as((h, p) -> h + ":" + p);
    }

    /** Valid-looking text with hostile fragments and address syntax inserted, appended or prepended. */
    public static Arbitrary<String> mangled(Arbitrary<String> valid) {
        Arbitrary<String> insert = Arbitraries.frequencyOf(
                Tuple.of(3, Hostile.fragment()),
                Tuple.of(2, Arbitraries.of(STRUCTURE)),
                Tuple.of(1, Hostile.text()));
        return Combinators.combine(valid, insert, Arbitraries.integers().between(0, 100))
                .as((text, fragment, where) -> {
                    int at = text.isEmpty() ? 0 : where * text.length() / 100;
                    return text.substring(0, at) + fragment + text.substring(at);
                });
    }

    /** Text shaped like {@code valid}: about half valid, the rest mangled, structural soup or any text. */
    public static Arbitrary<String> hostile(Arbitrary<String> valid) {
        Arbitrary<String> soup = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(STRUCTURE)),
                Tuple.of(1, Hostile.fragment()),
                Tuple.of(1, Hostile.plain())).list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("", parts));
        return Arbitraries.frequencyOf(
                Tuple.of(5, valid),
                Tuple.of(3, mangled(valid)),
                Tuple.of(1, mangled(mangled(valid))),
                Tuple.of(2, soup),
                Tuple.of(1, Hostile.text()));
    }
}
