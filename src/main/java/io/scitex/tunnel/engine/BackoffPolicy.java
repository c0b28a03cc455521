package io.scitex.tunnel.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before trying again: {@code initial} after the first failure, doubling with each further
 * failure up to {@code max}. Each wait is drawn from the upper half of that ceiling, so that tunnels that lost
 * the same bastion at the same moment do not all come back in the same instant.
 */
public record BackoffPolicy(Duration initial, Duration max) {
    /** Reconnecting to the bastion: 0.1-0.2 s at first, never more than 5 s. */
    public static final BackoffPolicy RECONNECT = new BackoffPolicy(Duration.ofMillis(200), Duration.ofSeconds(5));
    /**
     * Reconnecting while the bastion refuses connections outright (its host answers, its sshd does not listen:
     * it is restarting). A refused connection costs the bastion nothing (its kernel answers), and its sshd is
     * usually back within seconds, so such attempts come at most 0.5 s apart.
     */
    public static final BackoffPolicy RECONNECT_REFUSED = new BackoffPolicy(Duration.ofMillis(200), Duration.ofMillis(500));
    /**
     * Asking again for a port the bastion refused, on the same session: the port usually frees up when the
     * bastion drops our own dead session, so a short cap gets it back soon after.
     */
    public static final BackoffPolicy FORWARD_RETRY = new BackoffPolicy(Duration.ofMillis(200), Duration.ofSeconds(2));

    public BackoffPolicy {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, not " + initial + " and " + max);
        }
    }

    /** The longest wait after {@code failures} failures in a row (1 or more). */
    public Duration ceiling(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, not " + failures);
        }
        Duration ceiling = initial;
        for (int i = 1; i < failures && ceiling.compareTo(max) < 0; i++) {
            ceiling = ceiling.multipliedBy(2);
        }
        return ceiling.compareTo(max) > 0 ? max : ceiling;
    }

    /**
     * The wait after {@code failures} failures in a row, for a uniformly random {@code random} in [0, 1):
     * between half the ceiling and the ceiling.
     */
    public Duration delay(int failures, double random) {
        if (!(random >= 0 && random < 1)) {
            throw new IllegalArgumentException("random must be in [0, 1), not " + random);
        }
        long ceiling = ceiling(failures).toNanos();
        return Duration.ofNanos(ceiling / 2 + (long) (ceiling / 2.0 * random));
    }
}
