package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.TunnelSpec;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.sshd.client.SshClient;

/**
 * Keeps one tunnel's session alive until stopped: open a session, get the forward (asking again, on the same
 * session, while the bastion refuses the port), hold it until the session is lost, wait out the backoff,
 * start over. The backoff starts over after a session that stayed up for a while.
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
    private volatile boolean stopping;
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
                try (TunnelSession opened = TunnelSession.open(client, spec, key, options.connectTimeout())) {
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
                if (upSince != null && Duration.between(upSince, clock.instant()).compareTo(options.healthyAfter()) >= 0) {
                    reconnectBackoff.reset();
                }
                Duration wait = reconnectBackoff.next(refused ? options.reconnectRefused() : options.reconnect());
                states.enter(TunnelPhase.BACKING_OFF, reconnects, lastError);
                Thread.sleep(wait.toMillis(), (int) (wait.toNanos() % 1_000_000));
            }
        } catch (InterruptedException stopped) {
            // close() interrupts waits; nothing else does
        } finally {
            // stop() interrupts this thread; the flag has served its purpose, and left set it would make the
            // last state file write fail (file channels close when their thread is interrupted).
            Thread.interrupted();
            states.enter(TunnelPhase.CLOSED, reconnects, Optional.empty());
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

    /** Ends the loop: the current session is closed, waits are cut short. */
    void stop() {
        stopping = true;
        TunnelSession current = session;
        if (current != null) {
            current.close();
        }
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }
}
