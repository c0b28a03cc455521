package io.scitex.tunnel.model;

/** No tunnel exists on the given port. */
public class NoSuchTunnelException extends TunnelException {
    private static final long serialVersionUID = 1L;
    private final int port;

    public NoSuchTunnelException(int port) {
        super("no tunnel on port " + port + ": `scitex-tunnel status` lists the tunnels there are");
        this.port = port;
    }

    public int port() {
        return port;
    }
}
