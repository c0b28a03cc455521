package io.scitex.tunnel.setup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of one port, held (see {@link PortLocks}). Closing it lets the next setup or remove of the port
 * go ahead; closing it again does nothing, so that setup's shutdown hook and setup itself may both close it.
 */
public final class PortLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortLock.class);

    private final PortLocks locks;
    private final int port;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed; // guarded by this

    PortLock(PortLocks locks, int port, FileChannel channel, FileLock lock) {
        this.locks = locks;
        this.port = port;
        this.channel = channel;
        this.lock = lock;
    }

    public int port() {
        return port;
    }

    /** Empties the file (its holder is gone), releases the lock and closes the file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            LOG.debug("releasing the lock of port {}: {}", port, e.getMessage()); // closing the file releases it
        } finally {
            locks.forget(port);
        }
    }
}
