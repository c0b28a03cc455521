/**
 * The benchmark suite that {@code bench/run} starts inside a throwaway systemd container: the tunnels that
 * {@code scitex-tunnel setup} writes for both engines, measured side by side against plain loopback TCP on the
 * same machine in the same run (throughput, round trips, recovery, memory, CLI latency). Not run by the tests.
 */
package io.scitex.tunnel.bench;
