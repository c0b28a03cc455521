package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TunnelStatusTest {
    @ParameterizedTest
    @CsvSource({"active,running,true", "activating,auto-restart,false", "failed,failed,false",
        "inactive,dead,false", "unknown,unknown,false"})
    void withoutAProbeIsUpOnlyWhenActive(String state, String subState, boolean up) {
        TunnelStatus status = new TunnelStatus(2222, "autossh-tunnel-2222.service", Optional.empty(),
                Optional.empty(), state, subState, Optional.empty(), 0, Optional.empty(),
                TunnelHealth.fromServiceState(state, subState, Instant.EPOCH));

        assertThat(status.isUp()).isEqualTo(up);
    }
}
