package io.scitex.tunnel.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What systemd says about one tunnel's service, and how the tunnel is doing end to end.
 *
 * @param port     the bastion-side port that names the tunnel
 * @param unit     the systemd unit, {@code autossh-tunnel-PORT.service}
 * @param bastion  where the unit connects to, as {@code [user@]host[:port]}, if the unit says
 * @param target   where forwarded connections go, as {@code host:port}, if the unit says
 * @param state    systemd's ActiveState ({@code active}, {@code activating}, {@code failed}, ...)
 * @param subState systemd's SubState ({@code running}, {@code auto-restart}, ...)
 * @param since    when the unit entered its current state, if it ever did
 * @param restarts how often systemd restarted the service since it was started
 * @param started  when the service's main process (autossh) started, if it runs
 * @param health   up, degraded, down or unknown, and why
 * @param dropIns  the drop-in files that change the unit beyond what its unit file says, in path order
 * @param engine   what a native tunnel's engine says of itself, if it was read
 */
public record TunnelStatus(int port, String unit, Optional<String> bastion, Optional<String> target, String state,
                           String subState, Optional<Instant> since, int restarts, Optional<Instant> started,
                           TunnelHealth health, List<Path> dropIns, Optional<EngineReport> engine) {
    public TunnelStatus {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(engine, "engine");
        dropIns = List.copyOf(dropIns);
    }

    /** A tunnel whose engine's own state was not read. */
    public TunnelStatus(int port, String unit, Optional<String> bastion, Optional<String> target, String state,
                        String subState, Optional<Instant> since, int restarts, Optional<Instant> started,
                        TunnelHealth health, List<Path> dropIns) {
        this(port, unit, bastion, target, state, subState, since, restarts, started, health, dropIns, Optional.empty());
    }

    /** A tunnel whose unit no drop-in changes. */
    public TunnelStatus(int port, String unit, Optional<String> bastion, Optional<String> target, String state,
                        String subState, Optional<Instant> since, int restarts, Optional<Instant> started,
                        TunnelHealth health) {
        this(port, unit, bastion, target, state, subState, since, restarts, started, health, List.of());
    }

    /** Whether the tunnel is up: reached end to end when probed, else its service is active. */
    public boolean isUp() {
        return health.health() == Health.UP;
    }

    /** The same tunnel with a health found by a probe. */
    public TunnelStatus withHealth(TunnelHealth newHealth) {
        return new TunnelStatus(port, unit, bastion, target, state, subState, since, restarts, started, newHealth,
                dropIns, engine);
    }

    /** The same tunnel, with what its engine says of itself. */
    public TunnelStatus withEngine(Optional<EngineReport> report) {
        return new TunnelStatus(port, unit, bastion, target, state, subState, since, restarts, started, health,
                dropIns, report);
    }

    /** The same tunnel, with the drop-ins that change its unit. */
    public TunnelStatus withDropIns(List<Path> newDropIns) {
        return new TunnelStatus(port, unit, bastion, target, state, subState, since, restarts, started, health,
                newDropIns, engine);
    }
}
