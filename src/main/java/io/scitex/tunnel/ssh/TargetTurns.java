package io.scitex.tunnel.ssh;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many probes look through their forwards to one target at a time. Many tunnels can lead to one
 * target — every workstation's port to its own sshd, or a test's fifty to one — and a probe's connection to
 * an sshd stays unauthenticated for as long as it looks, so probing them all at once would trip that sshd's
 * MaxStartups (by default, dropping new connections at random beyond 10) and make some look down. A target
 * that has answered as something else than an sshd is given more turns: nothing else counts connections so.
 */
final class TargetTurns {
    /** Well below OpenSSH's default MaxStartups (10), leaving room for everyone else. */
    static final int PER_TARGET = 4;
    /** For a target that is no sshd: as many as probes run at once. */
    static final int PER_OTHER_TARGET = ForwardProbe.MAX_PARALLEL;

    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    /** Waits for the tunnel's target to have a turn free; a tunnel of unknown target has one of its own. */
    Turn take(ForwardProbe.Tunnel tunnel) throws InterruptedException {
        String name = tunnel.target().map(t -> t.host().toLowerCase(Locale.ROOT) + ":" + t.port())
                .orElse("the target of port " + tunnel.port());
        Target target = targets.computeIfAbsent(name, t -> new Target());
        target.turns.acquire();
        return new Turn(target);
    }

    private static final class Target {
        final Semaphore turns = new Semaphore(PER_TARGET, true);
        final AtomicBoolean notAnSshd = new AtomicBoolean();
    }

    /** One probe's turn at its target, given back at close. */
    static final class Turn implements AutoCloseable {
        private final Target target;
        private final AtomicBoolean given = new AtomicBoolean();

        private Turn(Target target) {
            this.target = target;
        }

        /** The target answered, and not as an sshd does: from now on it has {@value #PER_OTHER_TARGET} turns. */
        void notAnSshd() {
            if (target.notAnSshd.compareAndSet(false, true)) {
                target.turns.release(PER_OTHER_TARGET - PER_TARGET);
            }
        }

        @Override
        public void close() {
            if (given.compareAndSet(false, true)) {
                target.turns.release();
            }
        }
    }
}
