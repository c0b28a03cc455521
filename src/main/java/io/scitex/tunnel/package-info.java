/**
 * The entry point: {@link io.scitex.tunnel.ScitexTunnel} builds the workers and has one method per operation,
 * mirroring the Python scitex-tunnel ({@code available}, {@code setup}, {@code status}, {@code remove}); the
 * CLI is a thin layer over it.
 *
 * <p>Packages, inner first: {@code model} (values, no I/O); {@code host} (the local machine); {@code unit}
 * (the unit file and both engines' command lines, written and read back); {@code service} (driving systemd);
 * {@code ssh} (keys, host keys, bastion logins and probes); {@code engine} (the native engine runtime);
 * {@code status} (what is installed and how it is doing); {@code setup} (install, replace and remove a
 * tunnel and its keys); {@code demo}; {@code cli}.
 */
package io.scitex.tunnel;
