package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link ProbeDeadline}: its retries stay within the deadline, and how it names a timeout. */
class ProbeDeadlineTest {
    @Test
    void aRetryIsWaitedForOnlyWhileTheScheduleHasOneThatEndsBeforeTheDeadline() throws Exception {
        ProbeDeadline roomy = ProbeDeadline.startingNow(Duration.ofSeconds(30));
        long start = System.nanoTime();

        assertThat(roomy.pauseBeforeRetry(0)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the first pause").isGreaterThanOrEqualTo(
                Duration.ofMillis(50));
        assertThat(roomy.pauseBeforeRetry(4)).as("past the schedule").isFalse();
        assertThat(ProbeDeadline.startingNow(Duration.ofMillis(100)).pauseBeforeRetry(1))
                .as("a 150 ms pause in a 100 ms deadline").isFalse();
    }

    @Test
    void aTimeoutIsNamedAsItWasWritten() {
        assertThat(ProbeDeadline.startingNow(Duration.ofSeconds(3)).timeoutText()).isEqualTo("3 s");
        assertThat(ProbeDeadline.seconds(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    }
}
