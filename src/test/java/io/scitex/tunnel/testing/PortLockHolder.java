package io.scitex.tunnel.testing;

import io.scitex.tunnel.setup.PortLock;
import io.scitex.tunnel.setup.PortLocks;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Another process holding a port's lock, for tests of what a second process sees: takes the lock of PORT in
 * DIRECTORY, says "held" on stdout, and holds it until its stdin ends.
 * Usage: {@code java -cp CLASSPATH io.scitex.tunnel.testing.PortLockHolder DIRECTORY PORT}
 */
public final class PortLockHolder {
    private PortLockHolder() {}

    public static void main(String[] args) throws Exception {
        PortLocks locks = new PortLocks(Path.of(args[0]), Duration.ofSeconds(10));
        try (PortLock lock = locks.acquire(Integer.parseInt(args[1]), PortLocks.Purpose.REMOVE)) {
            System.out.println("held " + lock.port());
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
