package io.scitex.tunnel.engine;

import java.util.Locale;

/** Where a native tunnel is in its life. */
public enum TunnelPhase {
    /** Opening an SSH session: TCP, key exchange, host key check, authentication, then the forward request. */
    CONNECTING,
    /** The bastion listens on the tunnel's port and connections to it reach the target. */
    UP,
    /** Connected, but the bastion refuses to listen on the port (it is taken); the request is repeated. */
    WAITING_FOR_PORT,
    /** No session: the last one failed or was lost; waiting before the next attempt. */
    BACKING_OFF,
    /** Stopped by {@link NativeTunnel#close()}. */
    CLOSED;

    /** The name in logs and the state file: {@code up}, {@code backing-off}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
