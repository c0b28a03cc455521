/**
 * What is installed and how it is doing: the tunnels' service states, their end-to-end health (probes and
 * journal), the doctor's findings and the logs.
 */
package io.scitex.tunnel.status;
