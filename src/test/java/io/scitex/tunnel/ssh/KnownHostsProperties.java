package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.testing.Hostile;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

// Generated cases per run: 5000 (4 properties: 2000 + 1000 + 1000 + 1000 tries).
class KnownHostsProperties {
    private static final SshPublicKey KEY = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E");

    @Property(tries = 2000)
    void wildcardMatchAgreesWithRegularExpression(@ForAll("patterns") String pattern, @ForAll("names") String text) {
        String regex = pattern.chars().mapToObj(c -> c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf((char) c)))
                .reduce("", String::concat);

        assertThat(KnownHosts.wildcardMatch(pattern, text)).isEqualTo(Pattern.compile(regex, Pattern.DOTALL).matcher(text).matches());
    }

    @Property(tries = 1000)
    void plainNameListMatchesExactlyItsNames(@ForAll("nameLists") List<String> names, @ForAll("names") String lookup) {
        KnownHosts known = KnownHosts.parse(KEY.knownHostsLine(String.join(",", names)));

        boolean listed = names.stream().anyMatch(n -> n.equalsIgnoreCase(lookup));
        assertThat(known.keysFor(lookup)).isEqualTo(listed ? List.of(KEY) : List.of());
    }

    @Property(tries = 1000)
    void negatedNameIsNeverMatched(@ForAll("patternLists") List<String> patterns, @ForAll("names") String lookup) {
        String hosts = String.join(",", patterns) + ",!" + lookup.toUpperCase(Locale.ROOT);

        assertThat(KnownHosts.parse(KEY.knownHostsLine(hosts)).keysFor(lookup)).isEmpty();
    }

    @Property(tries = 1000)
    void readsAnyTextWithoutFailing(@ForAll("hostileText") String text, @ForAll("names") String lookup) {
        assertThat(KnownHosts.parse(text).keysFor(lookup)).isNotNull();
        assertThat(KnownHosts.parse(text + "\n" + KEY.knownHostsLine(lookup)).keysFor(lookup)).contains(KEY);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abAB.:[]1").ofMinLength(1).ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.strings().withChars("abAB.*?:[]1").ofMaxLength(8).map(p -> p.toLowerCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<List<String>> nameLists() {
        return names().list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<List<String>> patternLists() {
        return patterns().filter(p -> !p.isEmpty()).list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> hostileText() {
        return Hostile.text();
    }
}
