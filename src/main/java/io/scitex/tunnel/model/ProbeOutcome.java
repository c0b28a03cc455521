package io.scitex.tunnel.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one end-to-end probe found: it logs in to the bastion with the tunnel's own key, opens the
 * bastion's {@code localhost:PORT} (the forward) and reads what the target sends back.
 *
 * @param result   how far it got
 * @param detail   one line for people: what was seen, e.g. the target's banner or the error
 * @param duration how long the probe took
 * @param hostKey  for {@link Result#HOST_KEY_CHANGED}: the expected and the presented key fingerprints
 */
public record ProbeOutcome(Result result, String detail, Duration duration, Optional<HostKeyMismatch> hostKey) {
    public ProbeOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(hostKey, "hostKey");
    }

    public ProbeOutcome(Result result, String detail, Duration duration) {
        this(result, detail, duration, Optional.empty());
    }

    /** How far a probe got, from the best outcome to the ones that say nothing about the tunnel. */
    public enum Result {
        /** The target sent bytes back through the forward (an sshd: its banner). */
        TARGET_ANSWERED,
        /** The port on the bastion reaches an sshd with another machine's host key: not this tunnel's target. */
        OTHER_MACHINE,
        /** The forward accepted the connection, but the target end closed it without sending anything. */
        TARGET_CLOSED,
        /** The forward accepted the connection, but nothing came back within the timeout. */
        TARGET_SILENT,
        /** The forward accepted the connection, and the target is one that never speaks first: no evidence. */
        NO_EVIDENCE,
        /** Nothing listens on the bastion's {@code localhost:PORT}: the forward is not there. */
        FORWARD_MISSING,
        /** The bastion could not be reached (refused, timed out, name not resolved). */
        BASTION_UNREACHABLE,
        /** The bastion presented a host key other than the pinned one. */
        HOST_KEY_CHANGED,
        /** No pinned host key for the bastion: the tunnel's own ssh would refuse it too. */
        HOST_KEY_UNKNOWN,
        /** The bastion refused the tunnel's key. */
        AUTH_REJECTED,
        /** The bastion does not let this key open {@code localhost:PORT}, so the forward cannot be checked. */
        PROBE_REFUSED,
        /** The probe could not run here (unreadable key, no key in the unit, ...). */
        CANNOT_PROBE
    }

    /**
     * The key a bastion presented instead of the pinned one.
     *
     * @param expected the pinned key's fingerprint ({@code SHA256:...}) and type
     * @param presented the presented key's fingerprint and type
     */
    public record HostKeyMismatch(String expected, String presented) {}
}
