package io.scitex.tunnel.setup;

import io.scitex.tunnel.ssh.SshPublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tunnel as a tunnels file declares it: what {@code setup} would be asked, whom it runs as, and the bastion
 * host keys to pin.
 *
 * @param user     the service user; empty for the invoking user, as setup does
 * @param hostKeys the bastion's host keys, pinned exactly; empty to trust as setup does (pinned earlier, the
 *                 user's or the system's known_hosts, or, with accept_new, fetched)
 * @param origin   where it was declared ({@code FILE:LINE}), to name in messages
 */
public record DeclaredTunnel(SetupRequest request, Optional<String> user, List<SshPublicKey> hostKeys, String origin) {
    public DeclaredTunnel {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(user, "user");
        hostKeys = List.copyOf(hostKeys);
        Objects.requireNonNull(origin, "origin");
    }

    public int port() {
        return request.port();
    }
}
