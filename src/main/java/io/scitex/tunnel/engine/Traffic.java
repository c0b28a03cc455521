package io.scitex.tunnel.engine;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the relayed connections of one tunnel carry, across all its sessions. */
final class Traffic {
    private final AtomicLong toTarget = new AtomicLong();
    private final Set<RelayedConnection> open = new HashSet<>();
    private final Runnable onOpened;
    private long fromTargetOfClosed;
    private long openedTotal;

    Traffic() {
        this(() -> {});
    }

    /** @param onOpened told after each connection that reached the target (the state file is rewritten then) */
    Traffic(Runnable onOpened) {
        this.onOpened = onOpened;
    }

    void wroteToTarget(long bytes) {
        toTarget.addAndGet(bytes);
    }

    void opened(RelayedConnection connection) {
        synchronized (this) {
            open.add(connection);
            openedTotal++;
        }
        onOpened.run();
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
        return new TrafficCounts(open.size(), toTarget.get(), fromTarget, openedTotal);
    }
}
