package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.TunnelException;

/** Reaching the bastion failed at one step; the message says which and why. */
public class BastionCheckException extends TunnelException {
    private static final long serialVersionUID = 1L;
    private final BastionSession.Step step;

    public BastionCheckException(BastionSession.Step step, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
    }

    public BastionSession.Step step() {
        return step;
    }
}
