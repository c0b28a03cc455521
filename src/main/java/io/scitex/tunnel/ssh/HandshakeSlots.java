package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many SSH handshakes (connect, key exchange, authentication) may be in flight to one bastion at a time.
 * OpenSSH's sshd drops new connections while too many are unauthenticated ({@code MaxStartups}: by default
 * at random beyond 10, all beyond 100), so probing many tunnels of one bastion at once would make some look
 * down; once authenticated, a connection no longer counts. A bastion that let a handshake run out of time
 * is remembered as unanswering, so that its other probes need not each wait out their own timeout in turn.
 */
final class HandshakeSlots {
    private final int perBastion;
    private final Map<String, Bastion> bastions = new ConcurrentHashMap<>();

    HandshakeSlots(int perBastion) {
        if (perBastion < 1) {
            throw new IllegalArgumentException("at least one handshake per bastion: " + perBastion);
        }
        this.perBastion = perBastion;
    }

    /** A claim, not yet held, on one of {@code bastion}'s handshakes. */
    Slot slotFor(BastionAddress bastion) {
        String key = bastion.host().toLowerCase(Locale.ROOT) + ":" + bastion.port();
        return new Slot(bastions.computeIfAbsent(key, k -> new Bastion(new Semaphore(perBastion, true))));
    }

    private static final class Bastion {
        final Semaphore handshakes;
        volatile boolean unanswering;

        Bastion(Semaphore handshakes) {
            this.handshakes = handshakes;
        }
    }

    /**
     * One probe's claim on its bastion's handshakes: held while one of its handshakes is in flight, let go in
     * between. Closing it lets go for good, so that a probe given up while it waited or connected cannot take
     * a handshake from the others later.
     */
    static final class Slot implements AutoCloseable {
        private final Bastion bastion;
        private boolean held;
        private boolean closed;

        private Slot(Bastion bastion) {
            this.bastion = bastion;
        }

        /** Takes a handshake, waiting for one as long as it takes. */
        boolean acquire() throws InterruptedException {
            bastion.handshakes.acquire();
            return taken();
        }

        /** Takes a handshake, waiting at most {@code wait}; false if none came in time, or the slot is closed. */
        boolean acquire(Duration wait) throws InterruptedException {
            return bastion.handshakes.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS) && taken();
        }

        private synchronized boolean taken() {
            if (closed || held) {
                bastion.handshakes.release();
                return !closed;
            }
            held = true;
            return true;
        }

        /** Lets go of the handshake, if held. */
        synchronized void release() {
            if (held) {
                held = false;
                bastion.handshakes.release();
            }
        }

        /** Remembers that the bastion let a handshake of this probe run out of time. */
        void bastionUnanswering() {
            bastion.unanswering = true;
        }

        /** Whether a handshake of another probe of the same bastion ran out of time. */
        boolean isBastionUnanswering() {
            return bastion.unanswering;
        }

        @Override
        public synchronized void close() {
            closed = true;
            release();
        }
    }
}
