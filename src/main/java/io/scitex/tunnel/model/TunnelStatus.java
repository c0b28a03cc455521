package io.scitex.tunnel.model;

import java.time.Instant;
import java.util.Optional;

/**
 * What systemd says about one tunnel's service.
 *
 * @param port     the bastion-side port that names the tunnel
 * @param unit     the systemd unit, {@code autossh-tunnel-PORT.service}
 * @param bastion  where the unit connects to, as {@code [user@]host[:port]}, if the unit says
 * @param target   where forwarded connections go, as {@code host:port}, if the unit says
 * @param state    systemd's ActiveState ({@code active}, {@code activating}, {@code failed}, ...)
 * @param subState systemd's SubState ({@code running}, {@code auto-restart}, ...)
 * @param since    when the unit entered its current state, if it ever did
 * @param restarts how often systemd restarted the service since it was started
 */
public record TunnelStatus(int port, String unit, Optional<String> bastion, Optional<String> target, String state,
                           String subState, Optional<Instant> since, int restarts) {

    /** For now "up" means the service is running; connectivity probes refine this later. */
    public boolean isUp() {
        return "active".equals(state);
    }
}
