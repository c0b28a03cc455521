/**
 * Driving systemd: the {@link io.scitex.tunnel.service.ServiceManager} and
 * {@link io.scitex.tunnel.service.JournalReader} the workflows receive, and their systemctl and journalctl
 * implementations.
 */
package io.scitex.tunnel.service;
