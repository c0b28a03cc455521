package io.scitex.tunnel.bastion;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What sshd's journal says about its sessions: who logged in from where with which key
 * ({@code Accepted publickey for USER from ADDRESS port PORT ssh2: TYPE SHA256:...}), and when each session
 * (named by the client's address and port) was last heard of.
 */
public final class SshdLogins {
    private static final Pattern ACCEPTED = Pattern.compile(
            "Accepted publickey for (\\S+) from (\\S+) port ([0-9]+) ssh2: (\\S+) (SHA256:[A-Za-z0-9+/]+)");
    private static final Pattern ENDPOINT = Pattern.compile("(?:^|\\s)(\\S+) port ([0-9]{1,5})(?:\\s|:|$)");
    private final Map<String, Login> logins = new HashMap<>();
    private final Map<String, Instant> lastHeard = new HashMap<>();

    /**
     * A login.
     *
     * @param client the client's {@code address:port} as the session socket shows it
     */
    public record Login(Instant at, String account, String client, String keyType, String fingerprint) {}

    /** One line of sshd's journal. */
    public record Line(Instant at, String message) {}

    private SshdLogins() {}

    /** Reads the lines, oldest first. */
    public static SshdLogins of(List<Line> lines) {
        SshdLogins logins = new SshdLogins();
        for (Line line : lines) {
            logins.add(line);
        }
        return logins;
    }

    private void add(Line line) {
        Matcher accepted = ACCEPTED.matcher(line.message());
        if (accepted.find()) {
            String client = TcpSocket.endpoint(accepted.group(2), Integer.parseInt(accepted.group(3)));
            logins.put(client, new Login(line.at(), accepted.group(1), client, accepted.group(4), accepted.group(5)));
        }
        Matcher endpoint = ENDPOINT.matcher(line.message());
        if (endpoint.find()) {
            String client = TcpSocket.endpoint(endpoint.group(1), Integer.parseInt(endpoint.group(2)));
            if (logins.containsKey(client)) {
                lastHeard.put(client, line.at());
            }
        }
    }

    /** The login of the session whose client is {@code client} ({@code address:port}). */
    public Optional<Login> of(String client) {
        return Optional.ofNullable(logins.get(client));
    }

    /** When a session that logged in with the key {@code fingerprint} was last heard of (its end, usually). */
    public Optional<Instant> lastSeen(String fingerprint) {
        return logins.values().stream().filter(login -> login.fingerprint().equals(fingerprint))
                .map(login -> lastHeard.getOrDefault(login.client(), login.at())).max(Instant::compareTo);
    }
}
