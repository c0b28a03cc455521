/**
 * The tunnel's unit file, written and read back: rendering it with systemd's quoting, parsing it as systemd
 * does, and both engines' command lines (autossh's and {@code scitex-tunnel run}'s), each rendered and parsed
 * by one class.
 */
package io.scitex.tunnel.unit;
