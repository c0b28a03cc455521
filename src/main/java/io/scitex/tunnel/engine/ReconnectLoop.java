package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.TunnelSpec;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;

/**
 * Keeps one tunnel's session alive until stopped: open a session, get the forward (asking again, on the same
 * session, while the bastion refuses the port), hold it until the session is lost, wait out the backoff,
 * start over. After a session that stayed up for a while it reconnects at once, and backs off from the start.
 */
final class ReconnectLoop implements Runnable {
    private final SshClient client;
    private final TunnelSpec spec;
    private final TunnelOptions options;
    private final KeyPair key;
    private final StateTracker states;
    private final Backoff reconnectBackoff;
    private final Backoff forwardBackoff;
    private final Clock clock;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Object interruptLock = new Object();
    private volatile boolean stopping;
    private boolean connecting;
    private volatile TunnelSession session;
    private volatile Thread thread;
    private int reconnects;

    ReconnectLoop(SshClient client, TunnelSpec spec, TunnelOptions options, KeyPair key, StateTracker states,
                  Backoff reconnectBackoff, Backoff forwardBackoff, Clock clock) {
        this.client = client;
        this.spec = spec;
        this.options = options;
        this.key = key;
        this.states = states;
        this.reconnectBackoff = reconnectBackoff;
        this.forwardBackoff = forwardBackoff;
        this.clock = clock;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        Optional<String> lastError = Optional.empty();
        boolean refused = false;
        try {
            for (boolean first = true; !stopping; first = false) {
                if (!first) {
                    reconnects++;
                }
                states.enter(TunnelPhase.CONNECTING, reconnects, lastError);
                Instant upSince = null;
                try (TunnelSession opened = open()) {
                    session = opened;
                    if (stopping) {
                        break;
                    }
                    holdForward(opened);
                    upSince = clock.instant();
                    states.enter(TunnelPhase.UP, reconnects, Optional.empty());
                    throw opened.awaitEnd();
                } catch (TunnelFailure failure) {
                    lastError = Optional.of(failure.getMessage());
                    refused = failure.refused();
                } finally {
                    session = null;
                }
                if (stopping) {
                    break;
                }
                boolean healthy = upSince != null
                        && Duration.between(upSince, clock.instant()).compareTo(options.healthyAfter()) >= 0;
                Duration wait = reconnectBackoff.afterLoss(healthy, refused ? options.reconnectRefused() : options.reconnect());
                if (!wait.isZero()) {
                    states.enter(TunnelPhase.BACKING_OFF, reconnects, lastError);
                    if (stopRequested.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                        break;
                    }
                }
            }
        } catch (InterruptedException unexpected) {
            Thread.currentThread().interrupt(); // nobody but stop() should interrupt us; stop all the same
        } finally {
            states.enter(TunnelPhase.CLOSED, reconnects, Optional.empty());
        }
    }

    /**
     * Opens a session. Only here does {@link #stop()} interrupt this thread (MINA's connect and authentication
     * cannot be cut short otherwise); the flag is cleared before leaving, so that it cannot reach anything
     * else — a state file write, for one, would fail.
     */
    private TunnelSession open() throws TunnelFailure {
        synchronized (interruptLock) {
            if (stopping) {
                throw new TunnelFailure("stopped", null);
            }
            connecting = true;
        }
        try {
            return TunnelSession.open(client, spec, key, options.connectTimeout());
        } finally {
            synchronized (interruptLock) {
                connecting = false;
                Thread.interrupted();
            }
        }
    }

    /** Returns once the bastion listens on the port; a refusal is retried on the same session. */
    private void holdForward(TunnelSession opened) throws TunnelFailure, InterruptedException {
        forwardBackoff.reset();
        while (true) {
            try {
                opened.requestForward();
                return;
            } catch (PortRefused refused) {
                states.enter(TunnelPhase.WAITING_FOR_PORT, reconnects, Optional.of(refused.getMessage()));
                if (!opened.sleepWhileAlive(forwardBackoff.next())) {
                    throw opened.awaitEnd();
                }
            }
        }
    }

    /** Ends the loop: waits are cut short, the current session is closed, a connection under way given up. */
    void stop() {
        synchronized (interruptLock) {
            stopping = true;
            Thread running = thread;
            if (connecting && running != null) {
                running.interrupt();
            }
        }
        stopRequested.countDown();
        TunnelSession current = session;
        if (current != null) {
            current.close();
        }
    }
}
