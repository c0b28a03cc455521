package io.scitex.tunnel.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a native tunnel runs, beyond what {@link io.scitex.tunnel.model.TunnelSpec} says it connects.
 *
 * @param knownHosts     the pinned known_hosts the bastion's host key must be in (hashed entries and
 *                       {@code [host]:port} names are understood); it is never written
 * @param passphraseFile the file whose first line is the key's passphrase, for a passphrase-protected key
 * @param stateFile      where to keep the live state as JSON, if anywhere
 * @param connectTimeout the longest a connection, its key exchange and authentication, or a forward request
 *                       may take
 * @param reconnect      the waits between attempts to open a session
 * @param reconnectRefused the waits after an attempt the bastion's host refused outright (no sshd listening)
 * @param forwardRetry   the waits between requests for a port the bastion refused
 * @param healthyAfter   how long a tunnel must stay up to be reconnected at once when it is lost, the backoff
 *                       starting over
 */
public record TunnelOptions(Path knownHosts, Optional<Path> passphraseFile, Optional<Path> stateFile,
                            Duration connectTimeout, BackoffPolicy reconnect, BackoffPolicy reconnectRefused,
                            BackoffPolicy forwardRetry, Duration healthyAfter) {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration HEALTHY_AFTER = Duration.ofSeconds(10);

    public TunnelOptions {
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(passphraseFile, "passphraseFile");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(reconnectRefused, "reconnectRefused");
        Objects.requireNonNull(forwardRetry, "forwardRetry");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || healthyAfter.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * The defaults: 10 s to connect; reconnect backoff 0.2 s doubling to 5 s (to 0.5 s while the bastion refuses
     * connections outright); a refused port asked for again 0.2 s doubling to 2 s; healthy after 10 s up.
     */
    public static TunnelOptions of(Path knownHosts) {
        return new TunnelOptions(knownHosts, Optional.empty(), Optional.empty(), CONNECT_TIMEOUT,
                BackoffPolicy.RECONNECT, BackoffPolicy.RECONNECT_REFUSED, BackoffPolicy.FORWARD_RETRY, HEALTHY_AFTER);
    }

    public TunnelOptions withPassphraseFile(Path file) {
        return new TunnelOptions(knownHosts, Optional.of(file), stateFile, connectTimeout, reconnect, reconnectRefused,
                forwardRetry, healthyAfter);
    }

    public TunnelOptions withStateFile(Path file) {
        return new TunnelOptions(knownHosts, passphraseFile, Optional.of(file), connectTimeout, reconnect,
                reconnectRefused, forwardRetry, healthyAfter);
    }
}
