package io.scitex.tunnel.setup;

import java.util.Locale;

/** What apply does to one tunnel, decided by comparing the tunnels file with the machine. */
public enum ApplyAction {
    /** Declared, not installed: written and started. */
    CREATE,
    /** Declared and installed, but its unit, pins or passphrase differ, or its service is not running. */
    REPLACE,
    /** Installed as declared and running: left alone, its process and connections untouched. */
    UNCHANGED,
    /** Installed, not declared, and --prune given: stopped and removed. */
    REMOVE,
    /** Installed, not declared: left alone (--prune would remove it). */
    UNLISTED;

    /** The name in output and JSON: {@code create}, {@code replace}, ... */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this action changes the machine. */
    public boolean changes() {
        return this == CREATE || this == REPLACE || this == REMOVE;
    }
}
