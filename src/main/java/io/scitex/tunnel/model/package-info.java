/**
 * The domain model: what a tunnel is (its {@link io.scitex.tunnel.model.TunnelSpec}) and how it is doing
 * ({@link io.scitex.tunnel.model.TunnelStatus}). Values only: no I/O, every precondition checked on construction.
 */
package io.scitex.tunnel.model;
