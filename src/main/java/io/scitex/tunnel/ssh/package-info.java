/**
 * SSH: private keys checked as ssh checks them, known_hosts read as ssh reads it, host keys fetched from a
 * bastion and pinned, and the end-to-end probe that logs in to a bastion to check a tunnel's forward.
 */
package io.scitex.tunnel.ssh;
