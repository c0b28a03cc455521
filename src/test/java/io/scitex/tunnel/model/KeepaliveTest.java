package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeepaliveTest {
    @Test
    void defaultNoticesADeadLinkWithin15Seconds() {
        assertThat(Keepalive.DEFAULT).isEqualTo(new Keepalive(5, 3));
        assertThat(Keepalive.DEFAULT.bound()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void boundIsIntervalTimesMissedProbes() {
        assertThat(new Keepalive(3600, 100).bound()).isEqualTo(Duration.ofSeconds(360_000));
    }

    @ParameterizedTest
    @CsvSource({"1,1", "3600,100", "30,3"})
    void acceptsValuesWithinLimits(int interval, int count) {
        assertThat(new Keepalive(interval, count).intervalSeconds()).isEqualTo(interval);
    }

    @ParameterizedTest
    @CsvSource({"0,3", "-5,3", "3601,3", "5,0", "5,101", "5,-1"})
    void rejectsValuesOutsideLimits(int interval, int count) {
        assertThatThrownBy(() -> new Keepalive(interval, count)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("keepalive");
    }
}
