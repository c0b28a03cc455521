/**
 * Everything {@code scitex-tunnel demo} needs to show a tunnel working on one machine, without root, systemd,
 * ssh or a network: an embedded bastion, fresh keys for it, a target that answers, and the proof that a
 * connection to the bastion's port reaches the target through the native engine.
 */
package io.scitex.tunnel.demo;
