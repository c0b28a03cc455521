/**
 * The native engine runtime: {@link io.scitex.tunnel.engine.NativeTunnel}, an SSH client on Apache MINA SSHD
 * that holds one reverse forward, reconnects with backoff and records its live state.
 */
package io.scitex.tunnel.engine;
