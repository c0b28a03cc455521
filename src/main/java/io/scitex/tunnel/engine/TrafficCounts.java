package io.scitex.tunnel.engine;

/**
 * What a tunnel has carried since it started.
 *
 * @param activeConnections connections from the bastion's port to the target open now
 * @param bytesToTarget     bytes from the bastion's side, written to the target
 * @param bytesFromTarget   bytes from the target, sent to the bastion
 * @param connectionsTotal  connections that reached the target since the tunnel started
 */
public record TrafficCounts(int activeConnections, long bytesToTarget, long bytesFromTarget, long connectionsTotal) {
    public static final TrafficCounts NONE = new TrafficCounts(0, 0, 0, 0);

    public TrafficCounts(int activeConnections, long bytesToTarget, long bytesFromTarget) {
        this(activeConnections, bytesToTarget, bytesFromTarget, activeConnections);
    }
}
