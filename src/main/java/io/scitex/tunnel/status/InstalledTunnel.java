package io.scitex.tunnel.status;

import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.unit.InstalledUnit;

/**
 * One installed tunnel: how it is doing, and what its unit says (read once per look, and handed on to the
 * probes and the doctor).
 */
public record InstalledTunnel(TunnelStatus status, InstalledUnit unit) {
    public int port() {
        return status.port();
    }

    public InstalledTunnel withStatus(TunnelStatus checked) {
        return new InstalledTunnel(checked, unit);
    }
}
