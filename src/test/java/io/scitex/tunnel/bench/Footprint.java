package io.scitex.tunnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Resident memory of a service: its main process and all its descendants (autossh and its ssh; the native
 * engine's JVM), summed from {@code VmRSS} in /proc. A sampler records the peak while traffic flows.
 */
final class Footprint {
    private Footprint() {}

    /** Resident memory of {@code pid} and its descendants now, in bytes. */
    static long residentBytes(long pid) throws IOException {
        long total = 0;
        Deque<Long> pending = new ArrayDeque<>();
        pending.push(pid);
        while (!pending.isEmpty()) {
            long next = pending.pop();
            try {
                total += vmRssKiB(next) * 1024;
                for (String child : Files.readString(Path.of("/proc/" + next + "/task/" + next + "/children")).trim().split(" ")) {
                    if (!child.isBlank()) {
                        pending.push(Long.parseLong(child));
                    }
                }
            } catch (NoSuchFileException exited) {
                // a process that ended while we looked has no memory any more
            }
        }
        return total;
    }

    private static long vmRssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0; // a kernel thread or a zombie
    }

    /** Samples {@link #residentBytes} every 50 ms until closed; {@link #peak} is the largest seen. */
    static final class PeakSampler implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        PeakSampler(long pid) {
            thread = BenchTarget.daemon("rss-sampler", () -> {
                while (running) {
                    try {
                        peak.accumulateAndGet(residentBytes(pid), Math::max);
                        Thread.sleep(50);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            thread.start();
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
