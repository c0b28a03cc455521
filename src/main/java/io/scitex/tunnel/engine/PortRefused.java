package io.scitex.tunnel.engine;

/** The bastion refused to listen on the tunnel's port, but the session is still up. */
final class PortRefused extends Exception {
    private static final long serialVersionUID = 1L;

    PortRefused(String reason) {
        super(reason, null, false, false);
    }
}
