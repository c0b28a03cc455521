package io.scitex.tunnel.model;

import java.util.Locale;

/** How a tunnel is doing, end to end. */
public enum Health {
    /** The probe went through the bastion's forwarded port and reached the target. */
    UP,
    /** The forward is listening on the bastion, but the target did not answer through it. */
    DEGRADED,
    /** The service is not running, the bastion cannot be reached, or the forward is not there. */
    DOWN,
    /** It could not be checked, e.g. the caller may not read the tunnel's key. */
    UNKNOWN;

    /** The lower-case word used in tables, JSON and metrics. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
