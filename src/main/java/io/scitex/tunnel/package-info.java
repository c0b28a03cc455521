/**
 * The library API: {@link io.scitex.tunnel.ScitexTunnel} sets up, lists and removes tunnels, mirroring the
 * Python scitex-tunnel ({@code available}, {@code setup}, {@code status}, {@code remove}). The CLI is a
 * thin layer over it.
 */
package io.scitex.tunnel;
