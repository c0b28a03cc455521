package io.scitex.tunnel.engine;

import java.io.IOException;

/** A session could not be opened, or was lost; the message is one line for people. */
final class TunnelFailure extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean refused;

    TunnelFailure(String reason, Throwable cause) {
        this(reason, cause, false);
    }

    /** @param refused whether the bastion's host refused the TCP connection (nothing listens on its SSH port) */
    TunnelFailure(String reason, Throwable cause, boolean refused) {
        super(reason, cause);
        this.refused = refused;
    }

    boolean refused() {
        return refused;
    }
}
