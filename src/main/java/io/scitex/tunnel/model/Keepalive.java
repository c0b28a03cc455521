package io.scitex.tunnel.model;

import java.time.Duration;

/**
 * How a dead link is noticed: a probe every {@code interval} that wants an answer, given up after
 * {@code maxMissed} unanswered probes in a row.
 */
public record Keepalive(int intervalSeconds, int maxMissed) {
    /** A dead link is noticed within 15 s. */
    public static final Keepalive DEFAULT = new Keepalive(5, 3);

    public Keepalive {
        Checks.check(intervalSeconds >= 1 && intervalSeconds <= 3600,
                "keepalive interval must be 1-3600 seconds, not %d", intervalSeconds);
        Checks.check(maxMissed >= 1 && maxMissed <= 100, "keepalive count must be 1-100, not %d", maxMissed);
    }

    /** The longest a dead link goes unnoticed. */
    public Duration bound() {
        return Duration.ofSeconds((long) intervalSeconds * maxMissed);
    }
}
