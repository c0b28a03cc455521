package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import java.time.Duration;

/**
 * When one step of a probe started (its login, or its look through the forward) and how long it may take.
 *
 * @param startNanos when it started ({@link System#nanoTime()})
 * @param timeout    how long it may take
 */
record ProbeDeadline(long startNanos, Duration timeout) {
    /** A deadline that starts now. */
    static ProbeDeadline startingNow(Duration timeout) {
        return new ProbeDeadline(System.nanoTime(), timeout);
    }

    Duration remaining() {
        Duration left = timeout.minus(elapsed());
        return left.isNegative() ? Duration.ZERO : left;
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** What was found, as far as now; the detail escaped, since it quotes what the network said. */
    ProbeOutcome outcome(Result result, String detail) {
        return new ProbeOutcome(result, Printable.escape(detail), elapsed());
    }

    ProbeOutcome outcome(ProbeOutcome found) {
        return new ProbeOutcome(found.result(), Printable.escape(found.detail()), elapsed(), found.hostKey());
    }

    /** The timeout as a user wrote it: {@code 3 s}, {@code 1.5 s}. */
    String timeoutText() {
        return seconds(timeout);
    }

    static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }
}
