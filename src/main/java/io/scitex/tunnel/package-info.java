/**
 * The library API: {@link io.scitex.tunnel.ScitexTunnel} sets up, lists and removes tunnels, mirroring the
 * Python scitex-tunnel ({@code available}, {@code setup}, {@code status}, {@code remove}). The CLI is a
 * thin layer over it.
 *
 * <p>{@code ScitexTunnel} is a facade: each operation is carried out by a package-private collaborator with
 * one job ({@code Setup}, {@code TunnelStatuses}, {@code TunnelChecker}, {@code Doctor}, ...). They log
 * under the facade's name, since which of them did the work is no concern of whoever reads the log.
 */
package io.scitex.tunnel;
