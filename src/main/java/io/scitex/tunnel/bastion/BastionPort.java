package io.scitex.tunnel.bastion;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One row of {@code bastion status}: a port held by an sshd session, or one an authorized_keys line permits.
 *
 * @param binds     the addresses the port listens on; empty when offline
 * @param account   the bastion account of the session (or of the authorized_keys line)
 * @param source    the session's client, {@code address:port}
 * @param since     when the session logged in (the journal), else when its process started
 * @param key       the key it logged in with, or the one whose line permits the port
 * @param lastSeen  for an offline port: when a session with its key was last heard of in the journal
 */
public record BastionPort(int port, List<String> binds, Optional<String> account, Optional<String> source,
                          Optional<Instant> since, Optional<KeyIdentity> key, PortHealth health, String detail,
                          Optional<Instant> lastSeen) {
    public BastionPort {
        binds = List.copyOf(binds);
    }

    /**
     * A key as the row names it.
     *
     * @param comment the authorized_keys comment ({@code scitex-tunnel-PORT@HOST} when {@code authorize} wrote it)
     */
    public record KeyIdentity(String type, String fingerprint, String comment, String host) {}

    public String host() {
        return key.map(KeyIdentity::host).orElse("");
    }
}
