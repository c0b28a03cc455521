package io.scitex.tunnel.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Failures in a row: each failure gets the next wait of a {@link BackoffPolicy} (the given one, or the
 * default); success resets.
 */
final class Backoff {
    private final BackoffPolicy policy;
    private final RandomGenerator random;
    private int failures;

    Backoff(BackoffPolicy policy, RandomGenerator random) {
        this.policy = policy;
        this.random = random;
    }

    /** Counts one more failure and returns how long to wait before the next attempt. */
    Duration next() {
        return next(policy);
    }

    /** Counts one more failure and returns the wait {@code failurePolicy} gives it. */
    Duration next(BackoffPolicy failurePolicy) {
        failures++;
        return failurePolicy.delay(failures, random.nextDouble());
    }

    /**
     * The wait after a session was lost: none after a session that stayed healthy (the fault is new, and one
     * prompt attempt costs the bastion nothing; a failure after it backs off from the start), else the next one.
     */
    Duration afterLoss(boolean healthy, BackoffPolicy failurePolicy) {
        if (healthy) {
            reset();
            return Duration.ZERO;
        }
        return next(failurePolicy);
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
