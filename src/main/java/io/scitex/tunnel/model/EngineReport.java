package io.scitex.tunnel.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a native tunnel's engine says of itself in its live state file.
 *
 * @param phase             {@code connecting}, {@code up}, {@code waiting-for-port}, {@code backing-off}, {@code closed}
 * @param since             when it entered that phase
 * @param reconnects        sessions opened after the first attempt
 * @param lastError         why the last attempt or session failed, if one did (escaped: it comes from a file)
 * @param activeConnections connections relayed to the target now
 * @param connectionsTotal  connections that reached the target since the engine started
 * @param bytesToTarget     bytes relayed to the target
 * @param bytesFromTarget   bytes relayed from the target
 * @param updated           when the engine last wrote the file
 */
public record EngineReport(String phase, Instant since, long reconnects, Optional<String> lastError,
                           long activeConnections, long connectionsTotal, long bytesToTarget, long bytesFromTarget,
                           Instant updated) {
    public EngineReport {
        phase = Printable.escape(Objects.requireNonNull(phase, "phase"));
        Objects.requireNonNull(since, "since");
        lastError = Objects.requireNonNull(lastError, "lastError").map(Printable::escape);
        Objects.requireNonNull(updated, "updated");
    }

    /** Whether the engine says its forward is up. */
    public boolean isUp() {
        return "up".equals(phase);
    }

    /** For people: {@code up since ..., 2 reconnects, 1 open connection, 10 B to / 20 B from the target}. */
    public String summary(Instant now) {
        long age = Math.max(0, Duration.between(since, now).toSeconds());
        return phase + " for " + age + " s, " + reconnects + " reconnect" + (reconnects == 1 ? "" : "s") + ", "
                + activeConnections + " open connection" + (activeConnections == 1 ? "" : "s") + " ("
                + connectionsTotal + " in all), " + bytesToTarget + " B to and " + bytesFromTarget + " B from the target"
                + lastError.map(error -> "; last error: " + error).orElse("");
    }
}
