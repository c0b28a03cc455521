package io.scitex.tunnel.bastion;

import io.scitex.tunnel.model.Printable;

/**
 * What one connection to a forwarded port showed: only an answer (a greeting, or a reply to HTTP
 * {@code HEAD}) is evidence that the port reaches a target. A port held for a dead session accepts the
 * connection and then says nothing.
 */
public record ListenerEvidence(Outcome outcome, String detail) {
    /** What the connection came to. */
    public enum Outcome {
        /** The target sent bytes: its greeting, or its reply to {@code HEAD}. */
        ANSWERED,
        /** Accepted, and then nothing within the time allowed. */
        SILENT,
        /** Accepted, then closed without a byte: the host rejected the forwarded connection or its target is gone. */
        CLOSED,
        /** Nothing listens there now. */
        REFUSED
    }

    public ListenerEvidence {
        detail = Printable.escape(detail);
    }

    public boolean answered() {
        return outcome == Outcome.ANSWERED;
    }
}
