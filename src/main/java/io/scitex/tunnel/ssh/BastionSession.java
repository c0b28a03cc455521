package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.RootCause;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * One short SSH session to a bastion, opened the way a tunnel opens it (its key, its pinned host keys), to
 * find out before installing a tunnel whether the bastion accepts the key and whether the tunnel's port is
 * free there. Closing it closes the session and the client.
 */
public final class BastionSession implements BastionConnection {
    private final SshClient client;
    private final ClientSession session;

    private BastionSession(SshClient client, ClientSession session) {
        this.client = client;
        this.session = session;
    }

    /**
     * Connects, verifies the host key against {@code knownHosts} and authenticates with {@code key} as
     * {@code user}. Failures are {@link BastionCheckException}s that say which of these steps failed.
     */
    public static BastionSession open(BastionAddress bastion, String user, KeyPair key, Path knownHosts,
                                      Duration timeout) {
        SshClient client = StrictSshClient.create(knownHosts, Keepalive.DEFAULT);
        AtomicBoolean hostKeyRejected = new AtomicBoolean();
        ServerKeyVerifier strict = client.getServerKeyVerifier();
        client.setServerKeyVerifier((s, address, serverKey) -> {
            boolean accepted = strict.verifyServerKey(s, address, serverKey);
            hostKeyRejected.set(!accepted);
            return accepted;
        });
        client.start();
        ClientSession session = null;
        try {
            try {
                session = client.connect(user, bastion.host(), bastion.port()).verify(timeout).getSession();
            } catch (IOException e) {
                throw new BastionCheckException(Step.CONNECT,
                        "cannot connect to " + bastion.knownHostsName() + ": " + Printable.escape(RootCause.message(e)), e);
            }
            session.addPublicKeyIdentity(key);
            String where = "bastion " + bastion.knownHostsName();
            AuthFuture login = awaitLogin(session, where, timeout);
            if (!login.isDone() || !login.isSuccess()) {
                Throwable failure = login.isDone() ? login.getException() : null;
                Optional<SshHandshake.Failure> handshake = SshHandshake.failure(session, where, failure, timeout);
                if (handshake.isPresent()) {
                    throw new BastionCheckException(Step.CONNECT, handshake.get().reason(), failure);
                }
                String why = login.isDone() ? Printable.escape(RootCause.messageOrOuter(failure))
                        : "no answer within " + timeout.toSeconds() + " s";
                Step step = hostKeyRejected.get() ? Step.HOST_KEY : Step.AUTHENTICATE;
                throw new BastionCheckException(step, step == Step.HOST_KEY
                        ? "the host key of " + where + " does not match the pinned one:"
                          + " possible man-in-the-middle; if the bastion was reinstalled, check its new key out of band"
                        : user + "@" + bastion.knownHostsName() + " does not accept the key: " + why, failure);
            }
            return new BastionSession(client, session);
        } catch (RuntimeException e) {
            closeQuietly(session, client);
            throw e;
        }
    }

    /** The key exchange and authentication, waited for at most {@code timeout}: done, or not in time. */
    private static AuthFuture awaitLogin(ClientSession session, String where, Duration timeout) {
        try {
            AuthFuture login = session.auth();
            login.await(timeout);
            return login;
        } catch (IOException e) {
            throw new BastionCheckException(Step.CONNECT, "lost the connection to " + where + ": "
                    + Printable.escape(RootCause.messageOrOuter(e)), e);
        }
    }

    /** Whether the bastion lets this session listen on {@code port} of its loopback (then stops listening). */
    @Override
    public boolean canListenOn(int port) throws IOException {
        SshdSocketAddress remote = new SshdSocketAddress("localhost", port);
        try {
            session.startRemotePortForwarding(remote, new SshdSocketAddress("localhost", 9));
        } catch (SshException refused) {
            return false; // OpenSSH refuses without giving a reason
        }
        session.stopRemotePortForwarding(remote);
        return true;
    }

    @Override
    public void close() {
        closeQuietly(session, client);
    }

    private static void closeQuietly(ClientSession session, SshClient client) {
        try {
            if (session != null) {
                session.close(true);
            }
        } finally {
            client.stop();
        }
    }

    /** Which step of reaching the bastion failed. */
    public enum Step { CONNECT, HOST_KEY, AUTHENTICATE }
}
