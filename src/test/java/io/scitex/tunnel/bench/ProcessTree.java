package io.scitex.tunnel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process and all its descendants, as /proc shows them: a service (autossh and its ssh; the native engine's
 * JVM; the bastion's sshd and its sessions). Resident memory is summed from {@code VmRSS}, CPU time from
 * {@code utime + stime}. A sampler records the peak memory while traffic flows.
 */
record ProcessTree(long root) {
    /** Clock ticks per second of /proc/PID/stat: 100 on Linux for every architecture we run on. */
    private static final double TICKS_PER_SECOND = 100;

    /** Resident memory now, in bytes. */
    long residentBytes() throws IOException {
        long total = 0;
        for (long pid : pids()) {
            total += statusKiB(pid, "VmRSS:") * 1024;
        }
        return total;
    }

    /** CPU time used so far by the processes alive now, user and system, in seconds. */
    double cpuSeconds() throws IOException {
        long ticks = 0;
        for (long pid : pids()) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                // the fields after the command name, which is in parentheses and may contain spaces
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (NoSuchFileException exited) {
                // ended while we looked
            }
        }
        return ticks / TICKS_PER_SECOND;
    }

    private List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        List<Long> pending = new ArrayList<>(List.of(root));
        while (!pending.isEmpty()) {
            long next = pending.remove(pending.size() - 1);
            try {
                String children = Files.readString(Path.of("/proc/" + next + "/task/" + next + "/children")).trim();
                pids.add(next);
                for (String child : children.split(" ")) {
                    if (!child.isBlank()) {
                        pending.add(Long.parseLong(child));
                    }
                }
            } catch (NoSuchFileException exited) {
                // ended while we looked
            }
        }
        return pids;
    }

    private static long statusKiB(long pid, String field) throws IOException {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (NoSuchFileException exited) {
            // ended while we looked: no memory any more
        }
        return 0; // a kernel thread or a zombie
    }

    /** Samples {@link #residentBytes} every 50 ms until closed; {@link #peak} is the largest seen. */
    static final class PeakSampler implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        PeakSampler(ProcessTree tree) {
            thread = BenchTarget.daemon("rss-sampler", () -> {
                while (running) {
                    try {
                        peak.accumulateAndGet(tree.residentBytes(), Math::max);
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
