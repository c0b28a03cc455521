/**
 * systemd: rendering, reading and atomically writing tunnel units, and driving them with systemctl.
 */
package io.scitex.tunnel.service;
