/** The bastion's side of the tunnels: which sshd sessions hold which forwarded ports, and the sshd drop-in that frees dead ones. */
package io.scitex.tunnel.bastion;
