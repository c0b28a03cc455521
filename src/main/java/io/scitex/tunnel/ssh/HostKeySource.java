package io.scitex.tunnel.ssh;

/** Where setup learned the bastion's host key from. */
public enum HostKeySource {
    /** The key already pinned for this tunnel by an earlier setup. */
    PINNED,
    /** The user's or the system's known_hosts, as ssh would have used it. */
    KNOWN_HOSTS,
    /** Fetched from the bastion now and trusted on first use ({@code --accept-new}). */
    FETCHED
}
