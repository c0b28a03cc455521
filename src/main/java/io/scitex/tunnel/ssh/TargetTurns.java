package io.scitex.tunnel.ssh;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * How many probes look through their forwards to one target at a time. Many tunnels can lead to one
 * target — every workstation's port to its own sshd, or a test's fifty to one — and a probe's connection to
 * an sshd stays unauthenticated for as long as it looks, so probing them all at once would trip that sshd's
 * MaxStartups (by default, dropping new connections at random beyond 10) and make some look down.
 */
final class TargetTurns {
    /** Well below OpenSSH's default MaxStartups (10), leaving room for everyone else. */
    static final int PER_TARGET = 4;

    private final Map<String, Semaphore> targets = new ConcurrentHashMap<>();

    /** Waits for the tunnel's target to have a turn free; a tunnel of unknown target has one of its own. */
    Turn take(ForwardProbe.Tunnel tunnel) throws InterruptedException {
        String target = tunnel.target().map(t -> t.host().toLowerCase(Locale.ROOT) + ":" + t.port())
                .orElse("the target of port " + tunnel.port());
        Semaphore turns = targets.computeIfAbsent(target, t -> new Semaphore(PER_TARGET, true));
        turns.acquire();
        return new Turn(turns);
    }

    /** One probe's turn at its target, given back at close. */
    record Turn(Semaphore turns) implements AutoCloseable {
        @Override
        public void close() {
            turns.release();
        }
    }
}
