package io.scitex.tunnel.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a native tunnel is doing.
 *
 * @param phase      where it is: connecting, up, waiting for its port, backing off, closed
 * @param since      when it entered this phase
 * @param reconnects how many sessions it opened after the first attempt (0 while the first one lives)
 * @param lastError  why the last attempt or session failed, as one line, if one did
 * @param traffic    connections and bytes relayed so far
 */
public record EngineState(TunnelPhase phase, Instant since, int reconnects, Optional<String> lastError,
                          TrafficCounts traffic) {
    public EngineState {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(traffic, "traffic");
    }

    public boolean isUp() {
        return phase == TunnelPhase.UP;
    }

    EngineState withTraffic(TrafficCounts counts) {
        return new EngineState(phase, since, reconnects, lastError, counts);
    }
}
