/**
 * The domain model: what a tunnel is (its {@link io.scitex.tunnel.model.TunnelSpec}) and how it is doing
 * ({@link io.scitex.tunnel.model.TunnelStatus}, whose {@link io.scitex.tunnel.model.TunnelHealth} is derived
 * from systemd's state, the journal's lines and the probe's outcome). Values only: no I/O, every precondition checked on construction.
 */
package io.scitex.tunnel.model;
