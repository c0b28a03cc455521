/**
 * systemd: rendering, reading and atomically writing tunnel units, driving them with systemctl, and reading
 * their journals with journalctl.
 */
package io.scitex.tunnel.service;
