/**
 * SSH trust material: private keys checked as ssh checks them, known_hosts read as ssh reads it, host keys
 * fetched from a bastion and pinned.
 */
package io.scitex.tunnel.ssh;
