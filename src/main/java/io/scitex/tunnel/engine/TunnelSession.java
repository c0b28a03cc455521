package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.TunnelSpec;
import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * One SSH session to the bastion, from connecting to its end: authenticated with the tunnel's key, it asks
 * the bastion to listen on {@code localhost:PORT} (the bastion's loopback) and lets MINA relay what arrives
 * there to the target. It remembers why it ended.
 */
final class TunnelSession implements AutoCloseable {
    /** The bastion binds the forward to its loopback, as {@code ssh -R PORT:...} without a bind address. */
    static final String BIND_HOST = "localhost";
    private static final Duration GRACEFUL_CLOSE = Duration.ofSeconds(2);

    private final ClientSession session;
    private final SshdSocketAddress remote;
    private final SshdSocketAddress local;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile String disconnectMessage;
    private volatile boolean forwarding;

    private TunnelSession(ClientSession session, TunnelSpec spec) {
        this.session = session;
        this.remote = new SshdSocketAddress(BIND_HOST, spec.port());
        this.local = new SshdSocketAddress(spec.target().host(), spec.target().port());
        session.addSessionListener(new SessionListener() {
            @Override
            public void sessionException(Session s, Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }

            @Override
            public void sessionDisconnect(Session s, int reason, String message, String language, boolean initiator) {
                if (!initiator && disconnectMessage == null) {
                    disconnectMessage = message;
                }
            }
        });
        session.addCloseFutureListener(closed -> ended.countDown());
    }

    /** Connects, verifies the host key and authenticates, each bounded by {@code timeout}. */
    static TunnelSession open(SshClient client, TunnelSpec spec, KeyPair key, Duration timeout) throws TunnelFailure {
        ClientSession session = null;
        try {
            session = client.connect(spec.login(), spec.bastion().host(), spec.bastion().port()).verify(timeout)
                    .getClientSession();
            TunnelSession opened = new TunnelSession(session, spec);
            session.addPublicKeyIdentity(key);
            session.auth().verify(timeout);
            return opened;
        } catch (IOException | RuntimeException e) {
            String reason = Failures.ofConnect(e, session, spec, timeout);
            if (session != null) {
                session.close(true);
            }
            throw new TunnelFailure(reason, e, Failures.isRefusedConnection(e));
        }
    }

    /**
     * Asks the bastion to listen on the tunnel's port. Returns once it does; {@link PortRefused} if it refuses
     * while the session lives on; {@link TunnelFailure} if the session is lost.
     */
    void requestForward() throws PortRefused, TunnelFailure {
        try {
            session.startRemotePortForwarding(remote, local);
            forwarding = true;
        } catch (IOException | RuntimeException e) {
            if (session.isOpen() && ended.getCount() > 0 && e instanceof SshException) {
                // OpenSSH refuses tcpip-forward without a reason; MINA turns that into a bare SshException.
                throw new PortRefused("the bastion refused to listen on " + BIND_HOST + ":" + remote.getPort()
                        + ": the port is taken (by an earlier session of this tunnel that the bastion has not dropped"
                        + " yet, or by another program)");
            }
            throw lost(e);
        }
    }

    /** Waits until the session ends and says why. */
    TunnelFailure awaitEnd() throws InterruptedException {
        ended.await();
        return lost(null);
    }

    /** Waits {@code wait}, or less if the session ends; returns whether it still lives. */
    boolean sleepWhileAlive(Duration wait) throws InterruptedException {
        return !ended.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private TunnelFailure lost(Throwable cause) {
        Throwable why = failure != null ? failure : cause;
        return new TunnelFailure(Failures.ofLoss(why, disconnectMessage), why);
    }

    /** Gives up the forward and ends the session: politely if the bastion answers soon, at once otherwise. */
    @Override
    public void close() {
        if (forwarding && session.isOpen()) {
            try {
                session.stopRemotePortForwarding(remote);
            } catch (IOException | RuntimeException alreadyGone) {
                // the session is ending anyway; the bastion drops the forward with it
            }
        }
        if (!session.close(false).awaitUninterruptibly(GRACEFUL_CLOSE)) {
            session.close(true);
        }
    }
}
