package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.TunnelSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a tunnel's current state and announces each change: to the listener, to the state file, and to the
 * log — one line per change that matters to a reader, so that a bastion that stays away for an hour, or a
 * port that stays taken, is reported once and not once per attempt.
 */
final class StateTracker {
    private static final Logger LOG = LoggerFactory.getLogger(NativeTunnel.class);

    private final TunnelSpec spec;
    private final TunnelListener listener;
    private final Traffic traffic;
    private final Optional<TunnelStateFile> stateFile;
    private final Clock clock;
    private EngineState current;
    /** The error last logged, so that the same one is not logged again until the tunnel was up in between. */
    private String loggedError;
    private final Object fileLock = new Object();
    private boolean stateFileFailed;
    private TrafficCounts written = TrafficCounts.NONE;

    StateTracker(TunnelSpec spec, TunnelListener listener, Traffic traffic, Optional<TunnelStateFile> stateFile,
                 Clock clock) {
        this.spec = spec;
        this.listener = listener;
        this.traffic = traffic;
        this.stateFile = stateFile;
        this.clock = clock;
        this.current = new EngineState(TunnelPhase.CONNECTING, clock.instant(), 0, Optional.empty(), TrafficCounts.NONE);
    }

    synchronized EngineState current() {
        return current.withTraffic(traffic.counts());
    }

    /** Enters {@code phase}; nothing happens if neither the phase nor the error changes. */
    void enter(TunnelPhase phase, int reconnects, Optional<String> error) {
        EngineState previous;
        EngineState next;
        synchronized (this) {
            previous = current;
            if (previous.phase() == phase && previous.lastError().equals(error)
                    && previous.reconnects() == reconnects) {
                return;
            }
            next = new EngineState(phase, previous.phase() == phase ? previous.since() : clock.instant(), reconnects,
                    error, traffic.counts());
            current = next;
            notifyAll();
        }
        log(next);
        listener.stateChanged(next);
        writeStateFile();
    }

    /** Announces the first attempt: the tunnel starts out connecting. */
    void started() {
        LOG.info("tunnel {}: connecting to {} to forward its port {} to {}", spec.port(), spec.bastion(), spec.port(),
                spec.target());
        writeStateFile();
    }

    /** Rewrites the state file if traffic changed since it was last written. */
    void refreshStateFile() {
        synchronized (fileLock) {
            if (!traffic.counts().equals(written)) {
                writeStateFile();
            }
        }
    }

    /** Waits until the tunnel is up or closed, at most {@code timeout}; returns whether it is up. */
    synchronized boolean awaitUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (current.phase() != TunnelPhase.UP && current.phase() != TunnelPhase.CLOSED) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return current.phase() == TunnelPhase.UP;
    }

    private void log(EngineState next) {
        String name = "tunnel " + spec.port();
        String error = next.lastError().orElse(null);
        switch (next.phase()) {
            case CONNECTING -> LOG.debug("{}: connecting to {} (attempt {})", name, spec.bastion(), next.reconnects() + 1);
            case UP -> {
                loggedError = null;
                LOG.info("{}: up, {}:{} on bastion {} reaches {}{}", name, TunnelSession.BIND_HOST, spec.port(),
                        spec.bastion(), spec.target(), next.reconnects() == 0 ? "" : " (reconnects: " + next.reconnects() + ")");
            }
            case WAITING_FOR_PORT, BACKING_OFF -> {
                if (!Objects.equals(error, loggedError)) {
                    loggedError = error;
                    LOG.warn("{}: {}; {}", name, error, next.phase() == TunnelPhase.WAITING_FOR_PORT
                            ? "asking again until it is free" : "reconnecting with backoff");
                } else {
                    LOG.debug("{}: {} ({})", name, next.phase().label(), error);
                }
            }
            case CLOSED -> LOG.info("{}: closed", name);
        }
    }

    /**
     * Writes the state as it is at this moment (not as it was when the caller saw it), under a lock, so that
     * of two writers racing the last one always leaves the latest state.
     */
    private void writeStateFile() {
        if (stateFile.isEmpty()) {
            return;
        }
        synchronized (fileLock) {
            EngineState state = current();
            try {
                stateFile.get().write(state);
                written = state.traffic();
                stateFileFailed = false;
            } catch (IOException | RuntimeException e) {
                if (!stateFileFailed) {
                    LOG.warn("tunnel {}: cannot write state file {}: {}", spec.port(), stateFile.get().path(),
                            e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
                    stateFileFailed = true;
                }
            }
        }
    }
}
