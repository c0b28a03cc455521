package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.RootCause;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;

/**
 * A probe's login to a bastion, as the tunnel logs in: the tunnel's own key, the bastion checked against the
 * tunnel's own pinned host keys only. A bastion that turns the connection away before its greeting — as sshd
 * does beyond its MaxStartups, which counts other clients' connections too — is tried again, within the
 * deadline. Every failure becomes the outcome to report, the most telling sign first.
 */
final class ProbeLogin {
    private final SshClient client;

    ProbeLogin(SshClient client) {
        this.client = client;
    }

    /**
     * How a login went: the session if it succeeded, else the outcome to report, whether another attempt may
     * succeed, and whether the bastion let the deadline pass without answering.
     */
    record Login(ClientSession session, ProbeOutcome outcome, boolean retry, boolean unanswered) {
        static Login failed(ProbeOutcome outcome) {
            return new Login(null, outcome, false, false);
        }

        static Login of(ClientSession session) {
            return new Login(session, null, false, false);
        }

        boolean succeeded() {
            return session != null;
        }
    }

    /**
     * Logs in, with {@code slot} held while a handshake is in flight: let go between attempts, and still held
     * when the login succeeded (sshd counts a connection as unauthenticated until a little after the login,
     * so the caller lets go once the bastion has opened a channel on it).
     */
    Login logIn(ForwardProbe.Credentials credentials, ForwardProbe.Tunnel tunnel, HandshakeSlots.Slot slot,
                ProbeDeadline deadline) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Login login = attempt(credentials, tunnel, deadline);
            if (login.succeeded()) {
                return login;
            }
            slot.release();
            if (login.unanswered()) {
                slot.bastionUnanswering();
            }
            if (!login.retry() || !deadline.pauseBeforeRetry(attempt) || !slot.acquire(deadline.remaining())) {
                return login;
            }
        }
    }

    private Login attempt(ForwardProbe.Credentials credentials, ForwardProbe.Tunnel tunnel, ProbeDeadline deadline) {
        BastionAddress bastion = tunnel.bastion();
        String where = "the bastion " + bastion.knownHostsName();
        ConnectFuture connecting;
        try {
            connecting = client.connect(tunnel.login(), bastion.host(), bastion.port(),
                    AttributeRepository.ofKeyValuePair(StrictSshClient.KNOWN_HOSTS, credentials.pins()), null);
            if (!connecting.await(deadline.remaining())) {
                connecting.cancel();
                return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, "no answer from " + where
                        + " within " + deadline.timeoutText()), false, true);
            }
        } catch (IOException e) {
            return Login.failed(deadline.outcome(Result.BASTION_UNREACHABLE, "cannot reach " + where + ": "
                    + RootCause.messageOrOuter(e)));
        }
        Throwable notConnected = connecting.getException();
        if (notConnected != null) {
            Throwable root = RootCause.of(notConnected);
            if (root instanceof ConnectException || root instanceof UnknownHostException
                    || root instanceof NoRouteToHostException) {
                return Login.failed(deadline.outcome(Result.BASTION_UNREACHABLE, "cannot reach " + where + ": "
                        + reason(notConnected)));
            }
            // The connection was made, and closed before MINA could start on it: as sshd does beyond MaxStartups.
            return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, where + " closed the connection at once"
                    + " (too many unauthenticated connections: MaxStartups?): " + RootCause.messageOrOuter(notConnected)),
                    true, false);
        }
        ClientSession session = connecting.getSession();
        try {
            session.addPublicKeyIdentity(credentials.key());
            AuthFuture login = session.auth();
            boolean done = login.await(deadline.remaining());
            Login failed = refusal(session, tunnel, where, done ? login : null, deadline);
            if (failed == null) {
                return Login.of(session);
            }
            session.close(true);
            return failed;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            return Login.failed(deadline.outcome(Result.BASTION_UNREACHABLE, "lost the connection to " + where + ": "
                    + RootCause.messageOrOuter(e)));
        }
    }

    /**
     * Why a login did not succeed, from the most telling sign to the least: a changed host key, a handshake
     * that never got as far as authentication (not an SSH server, or one that dropped us), time running out,
     * an unpinned host key, and last a refused key. {@code null} if it succeeded.
     *
     * @param login the finished login, {@code null} if it did not finish in time
     */
    private static Login refusal(ClientSession session, ForwardProbe.Tunnel tunnel, String where, AuthFuture login,
                                 ProbeDeadline deadline) {
        if (login != null && login.isSuccess()) {
            return null;
        }
        HostKeyMismatch mismatch = StrictSshClient.hostKeyMismatch(session).orElse(null);
        if (mismatch != null) {
            return Login.failed(deadline.outcome(new ProbeOutcome(Result.HOST_KEY_CHANGED,
                    "bastion host key changed — possible man-in-the-middle: expected " + mismatch.expected()
                            + " (pinned in " + tunnel.knownHosts() + "), presented " + mismatch.presented(),
                    Duration.ZERO, Optional.of(mismatch))));
        }
        Throwable failure = login == null ? null : login.getException();
        Optional<SshHandshake.Failure> handshake = SshHandshake.failure(session, where, failure, deadline.timeout());
        if (handshake.isPresent()) {
            return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, handshake.get().reason()),
                    handshake.get().busy(), login == null);
        }
        if (login == null) {
            return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, where
                    + " did not complete the login within " + deadline.timeoutText()), false, true);
        }
        String why = RootCause.messageOrOuter(failure);
        return Login.failed(StrictSshClient.hostKeyRefusal(session).isPresent() || why.contains("did not validate")
                || why.contains("Server key")
                ? deadline.outcome(Result.HOST_KEY_UNKNOWN, "the host key of " + where + " is not pinned in "
                        + tunnel.knownHosts() + ", so the tunnel's ssh refuses it too")
                : deadline.outcome(Result.AUTH_REJECTED, where + " refused the tunnel's key " + tunnel.key()
                        + ": " + why));
    }

    private static String reason(Throwable failure) {
        Throwable root = RootCause.of(failure);
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof UnknownHostException) {
            return "the name does not resolve";
        }
        return RootCause.messageOrOuter(failure);
    }
}
