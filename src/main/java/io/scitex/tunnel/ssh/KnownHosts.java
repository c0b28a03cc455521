package io.scitex.tunnel.ssh;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The contents of a known_hosts file, matched the way ssh matches them: host patterns with {@code *},
 * {@code ?} and {@code !} negation, {@code [host]:port} names, and hashed ({@code |1|salt|hash}) entries.
 * {@code @revoked} entries revoke a key for its hosts; {@code @cert-authority} entries are not host keys.
 */
public final class KnownHosts {
    private final List<Entry> entries;

    private record Entry(String marker, String hosts, SshPublicKey key) {}

    private KnownHosts(List<Entry> entries) {
        this.entries = entries;
    }

    /** Parses known_hosts text; lines that are not entries are skipped, as ssh skips them. */
    public static KnownHosts parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("[ \t]+");
            int first = fields[0].startsWith("@") ? 1 : 0;
            if (fields.length < first + 3) {
                continue;
            }
            try {
                entries.add(new Entry(first == 1 ? fields[0] : "", fields[first],
                        new SshPublicKey(fields[first + 1], fields[first + 2])));
            } catch (IllegalArgumentException notAKey) {
                // ssh ignores malformed lines too
            }
        }
        return new KnownHosts(List.copyOf(entries));
    }

    /**
     * The host keys known for {@code name}, the name ssh looks up ({@code host}, or {@code [host]:port}
     * for a port other than 22), minus revoked ones.
     */
    public List<SshPublicKey> keysFor(String name) {
        String lookup = name.toLowerCase(Locale.ROOT);
        List<SshPublicKey> revoked = entries.stream().filter(e -> e.marker().equals("@revoked")).map(Entry::key).toList();
        return entries.stream()
                .filter(e -> e.marker().isEmpty() && hostsMatch(e.hosts(), lookup))
                .map(Entry::key)
                .filter(key -> !revoked.contains(key))
                .distinct()
                .toList();
    }

    static boolean hostsMatch(String hosts, String name) {
        if (hosts.startsWith("|1|")) {
            return hashedMatch(hosts, name);
        }
        boolean matched = false;
        for (String pattern : hosts.toLowerCase(Locale.ROOT).split(",")) {
            boolean negated = pattern.startsWith("!");
            if (wildcardMatch(negated ? pattern.substring(1) : pattern, name)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean hashedMatch(String hashed, String name) {
        String[] parts = hashed.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException malformed) {
            return false;
        }
    }

    /** ssh's match_pattern: {@code *} any run of characters, {@code ?} exactly one. */
    static boolean wildcardMatch(String pattern, String text) {
        int p = 0;
        int t = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
