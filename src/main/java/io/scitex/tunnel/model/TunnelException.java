package io.scitex.tunnel.model;

/**
 * An operation could not be carried out on this machine (systemd missing, no permission, a bastion
 * whose host key is unknown, systemctl failing). The message is one line, says why and what to do.
 */
public class TunnelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TunnelException(String message) {
        super(message);
    }

    public TunnelException(String message, Throwable cause) {
        super(message, cause);
    }
}
