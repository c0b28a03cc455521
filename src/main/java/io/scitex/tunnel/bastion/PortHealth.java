package io.scitex.tunnel.bastion;

import java.util.Locale;

/** A forwarded port's health as the bastion sees it. */
public enum PortHealth {
    /** A connection to the port reached a target: it answered. */
    UP,
    /** The session holding the port stopped answering: what sshd sends it goes unacknowledged. */
    STALE,
    /** Held, but a connection reaches no target: refused, closed, or silence. */
    DOWN,
    /** An authorized_keys line permits the port, but nobody holds it now. */
    OFFLINE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
