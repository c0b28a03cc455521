package io.scitex.tunnel.engine;

import java.io.IOException;

/** A session could not be opened, or was lost; the message is one line for people. */
final class TunnelFailure extends IOException {
    private static final long serialVersionUID = 1L;

    TunnelFailure(String reason, Throwable cause) {
        super(reason, cause);
    }
}
