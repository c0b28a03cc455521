package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceStatesTest {
    @Test
    void parsesUnixTimestampsOfSystemctl() {
        assertThat(ServiceStates.parseTimestamp("@1700000000")).contains(Instant.ofEpochSecond(1_700_000_000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "@abc", "Tue 2023-11-14 22:13:20 UTC", "1700000000"})
    void treatsOtherTimestampsAsNever(String value) {
        assertThat(ServiceStates.parseTimestamp(value)).isEmpty();
    }

    @Test
    void treatsMissingTimestampAsNever() {
        assertThat(ServiceStates.parseTimestamp(null)).isEmpty();
    }
}
