/**
 * What keeps a tunnel alive: the native engine ({@link io.scitex.tunnel.engine.NativeTunnel}, on Apache MINA
 * SSHD), and the command lines a unit runs — autossh's or the native engine's — and reading them back.
 */
package io.scitex.tunnel.engine;
