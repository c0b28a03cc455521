package io.scitex.tunnel.engine;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the relayed connections of one tunnel carry, across all its sessions. */
final class Traffic {
    private final AtomicLong toTarget = new AtomicLong();
    private final Set<RelayedConnection> open = new HashSet<>();
    private long fromTargetOfClosed;

    void wroteToTarget(long bytes) {
        toTarget.addAndGet(bytes);
    }

    synchronized void opened(RelayedConnection connection) {
        open.add(connection);
    }

    synchronized void closed(RelayedConnection connection) {
        if (open.remove(connection)) {
            fromTargetOfClosed += connection.sentToBastion();
        }
    }

    synchronized TrafficCounts counts() {
        long fromTarget = fromTargetOfClosed;
        for (RelayedConnection connection : open) {
            fromTarget += connection.sentToBastion();
        }
        return new TrafficCounts(open.size(), toTarget.get(), fromTarget);
    }
}
