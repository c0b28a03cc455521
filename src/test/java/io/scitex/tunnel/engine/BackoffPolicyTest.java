package io.scitex.tunnel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
    private static final BackoffPolicy POLICY = new BackoffPolicy(Duration.ofMillis(200), Duration.ofSeconds(5));

    @Test
    void theCeilingDoublesFromInitialAndStopsAtMax() {
        List<Long> ceilings = new ArrayList<>();
        for (int failures = 1; failures <= 8; failures++) {
            ceilings.add(POLICY.ceiling(failures).toMillis());
        }
        assertThat(ceilings).containsExactly(200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L);
        assertThat(POLICY.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void eachWaitLiesInTheUpperHalfOfItsCeiling() {
        assertThat(POLICY.delay(1, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(POLICY.delay(1, 0.5)).isEqualTo(Duration.ofMillis(150));
        assertThat(POLICY.delay(6, 0.0)).isEqualTo(Duration.ofMillis(2500));
        assertThat(POLICY.delay(6, Math.nextDown(1.0))).isLessThanOrEqualTo(Duration.ofSeconds(5))
                .isGreaterThan(Duration.ofMillis(4999));
    }

    @Test
    void jitterSpreadsTunnelsThatFailedTogether() {
        Backoff backoff = new Backoff(POLICY, new SplittableRandom(1));
        Set<Long> firstWaits = new HashSet<>();
        for (int tunnel = 0; tunnel < 100; tunnel++) {
            backoff.reset();
            Duration wait = backoff.next();
            assertThat(wait).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            firstWaits.add(wait.toMillis());
        }
        assertThat(firstWaits).as("distinct first waits of 100 tunnels").hasSizeGreaterThan(50);
    }

    @Test
    void aSuccessStartsTheSequenceOver() {
        Backoff backoff = new Backoff(POLICY, fixed(0.0));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            waits.add(backoff.next().toMillis());
        }
        assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 1600L, 2500L, 2500L);
        assertThat(backoff.failures()).isEqualTo(7);
        backoff.reset();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void aHealthySessionLostIsFollowedAtOnceByAnAttemptThenByTheSequenceFromItsStart() {
        Backoff backoff = new Backoff(POLICY, fixed(0.0));
        for (int i = 0; i < 5; i++) {
            backoff.next();
        }
        assertThat(backoff.afterLoss(true, POLICY)).isZero();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.afterLoss(false, POLICY)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.afterLoss(false, POLICY)).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aSessionLostBeforeItWasHealthyBacksOffAsAnyFailure() {
        Backoff backoff = new Backoff(POLICY, fixed(0.0));
        backoff.next();
        assertThat(backoff.afterLoss(false, POLICY)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.failures()).isEqualTo(2);
    }

    @Test
    void aRefusedConnectionWaitsAtMostTheRefusalCapWhateverCameBefore() {
        Backoff backoff = new Backoff(BackoffPolicy.RECONNECT, fixed(Math.nextDown(1.0)));
        for (int i = 0; i < 6; i++) {
            backoff.next();
        }
        assertThat(backoff.next()).isGreaterThan(Duration.ofMillis(4999));
        assertThat(backoff.next(BackoffPolicy.RECONNECT_REFUSED)).isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(backoff.failures()).isEqualTo(8);
    }

    @Test
    void theDefaultsAreCappedLow() {
        assertThat(BackoffPolicy.RECONNECT.initial()).isEqualTo(Duration.ofMillis(200));
        assertThat(BackoffPolicy.RECONNECT.max()).isEqualTo(Duration.ofSeconds(5));
        assertThat(BackoffPolicy.FORWARD_RETRY.max()).isLessThanOrEqualTo(BackoffPolicy.RECONNECT.max());
        assertThat(BackoffPolicy.RECONNECT_REFUSED.max()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void nonsenseIsRejected() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.ceiling(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.delay(1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.delay(1, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
