package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelStatusesTest {
    @Test
    void parsesUnixTimestampsOfSystemctl() {
        assertThat(TunnelStatuses.parseTimestamp("@1700000000")).contains(Instant.ofEpochSecond(1_700_000_000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "@abc", "Tue 2023-11-14 22:13:20 UTC", "1700000000"})
    void treatsOtherTimestampsAsNever(String value) {
        assertThat(TunnelStatuses.parseTimestamp(value)).isEmpty();
    }

    @Test
    void treatsMissingTimestampAsNever() {
        assertThat(TunnelStatuses.parseTimestamp(null)).isEmpty();
    }
}
