package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import io.scitex.tunnel.model.RootCause;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.kex.KexState;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * How far a server got with the SSH handshake, recorded for every session of a {@link StrictSshClient}: the
 * first line it sent, its SSH greeting, and why its host key was refused. From them a failed login is told
 * apart: a port that answers with something other than SSH (an HTTP server, garbage, nothing at all) is "not
 * an SSH server", not a bastion that refused the key. The records are kept by the client, not on the session,
 * because MINA clears a session's attributes as soon as it closes — often before the login's caller looks.
 */
public final class SshHandshake implements SessionListener {
    /** What OpenSSH's sshd answers, instead of its greeting, to a connection beyond its MaxStartups. */
    private static final String MAX_STARTUPS = "Exceeded MaxStartups";
    /** How much of what the server sent is shown. */
    private static final int SHOWN = 80;
    private static final AttributeKey<SshHandshake> OF_CLIENT = new AttributeKey<>();

    /** Forgotten with their sessions. */
    private final Map<Session, Seen> sessions = Collections.synchronizedMap(new WeakHashMap<>());

    private SshHandshake() {}

    /**
     * Why the handshake failed.
     *
     * @param busy   whether the server turned the connection away before its greeting — closed it at once, or
     *               said {@code Exceeded MaxStartups}, as OpenSSH's sshd does while too many connections are
     *               unauthenticated: worth another try
     * @param reason one line for people, with what the server sent escaped
     */
    public record Failure(boolean busy, String reason) {}

    /** What one session's server did before authentication. */
    private static final class Seen {
        volatile String firstLine;
        volatile String greeting;
        volatile String hostKeyRefusal;
        volatile HostKeyMismatch hostKeyMismatch;
    }

    /** Makes {@code client} record the handshake of each of its sessions. */
    static void recordOn(SshClient client) {
        SshHandshake recorder = new SshHandshake();
        client.setAttribute(OF_CLIENT, recorder);
        client.addSessionListener(recorder);
    }

    @Override
    public void sessionPeerIdentificationLine(Session session, String line, List<String> extraLines) {
        Seen seen = seen(session);
        if (seen.firstLine == null) {
            seen.firstLine = line;
        }
    }

    @Override
    public void sessionPeerIdentificationReceived(Session session, String version, List<String> extraLines) {
        seen(session).greeting = version;
    }

    /** Records that the server's host key was refused, and why; {@code mismatch} if it was another than the pinned. */
    static void hostKeyRefused(Session session, String why, HostKeyMismatch mismatch) {
        Seen seen = seen(session);
        seen.hostKeyRefusal = why;
        seen.hostKeyMismatch = mismatch;
    }

    /** Why the server's host key was refused in {@code session}, if it was. */
    static Optional<String> hostKeyRefusal(Session session) {
        return Optional.ofNullable(seen(session).hostKeyRefusal);
    }

    /** The pinned and the presented key, if the server presented another than the pinned one. */
    static Optional<HostKeyMismatch> hostKeyMismatch(Session session) {
        return Optional.ofNullable(seen(session).hostKeyMismatch);
    }

    /**
     * Why the handshake of {@code session} with {@code where} did not get as far as authentication, if it did
     * not: empty once the key exchange is done (what fails afterwards is authentication's), and empty for a
     * host key refused in the key exchange (that has its own messages).
     *
     * @param cause  why the login failed; {@code null} when it did not finish in time
     * @param waited how long the login was waited for
     */
    public static Optional<Failure> failure(Session session, String where, Throwable cause, Duration waited) {
        Seen seen = seen(session);
        if (session.getKexState() == KexState.DONE || seen.hostKeyRefusal != null) {
            return Optional.empty();
        }
        String inTime = "within " + seconds(waited);
        if (seen.greeting != null) {
            return Optional.of(new Failure(false, where + " is not an SSH server this tool can talk to: it greeted with "
                    + shown(seen.greeting) + ", but " + (cause == null ? "did not complete the key exchange " + inTime
                    : "the key exchange failed: " + Printable.escape(RootCause.messageOrOuter(cause)))));
        }
        String firstLine = seen.firstLine == null ? null : seen.firstLine.strip();
        if (MAX_STARTUPS.equals(firstLine)) {
            return Optional.of(new Failure(true, where + " has too many unauthenticated connections: it answered "
                    + shown(firstLine) + " (its MaxStartups)"));
        }
        if (firstLine != null) {
            return Optional.of(new Failure(false, where + " is not an SSH server: it answered " + shown(firstLine)));
        }
        return Optional.of(cause == null
                ? new Failure(false, where + " is not an SSH server: it sent no SSH greeting " + inTime)
                : new Failure(true, where + " closed the connection before its SSH greeting (not an SSH server, or"
                        + " one with too many unauthenticated connections: MaxStartups)"));
    }

    private static Seen seen(Session session) {
        FactoryManager client = session.getFactoryManager();
        SshHandshake recorder = client == null ? null : client.getAttribute(OF_CLIENT);
        return recorder == null ? new Seen() : recorder.sessions.computeIfAbsent(session, s -> new Seen());
    }

    /** What the server sent, cut short, escaped and quoted. */
    private static String shown(String text) {
        StringBuilder cut = new StringBuilder();
        text.codePoints().limit(SHOWN).forEach(cut::appendCodePoint);
        return Printable.quoted(cut.length() < text.length() ? cut + "..." : cut.toString());
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }
}
