package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import java.time.Duration;
import java.util.List;

/**
 * When one step of a probe started (its login, or its look through the forward) and how long it may take.
 *
 * @param startNanos when it started ({@link System#nanoTime()})
 * @param timeout    how long it may take
 */
record ProbeDeadline(long startNanos, Duration timeout) {
    /** The waits before trying again an sshd that turned the connection away (as it does beyond MaxStartups). */
    private static final List<Duration> RETRY_PAUSES = List.of(Duration.ofMillis(50), Duration.ofMillis(150),
            Duration.ofMillis(300), Duration.ofMillis(600));

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

    /**
     * Waits before retry {@code attempt} (0 for the first) if the schedule has one left and it ends before the
     * deadline; false, without waiting, if not.
     */
    boolean pauseBeforeRetry(int attempt) throws InterruptedException {
        if (attempt >= RETRY_PAUSES.size() || remaining().compareTo(RETRY_PAUSES.get(attempt)) <= 0) {
            return false;
        }
        Thread.sleep(RETRY_PAUSES.get(attempt).toMillis());
        return true;
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
