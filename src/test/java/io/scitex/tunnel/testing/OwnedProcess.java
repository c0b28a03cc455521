package io.scitex.tunnel.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * A process a test starts from an exact argv and owns: stdin is {@code /dev/null} (as under systemd), stdout
 * and stderr go to files in a directory of the test's, and {@link #close()} ends it, and whatever it started,
 * by PID.
 */
public final class OwnedProcess implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final String name;
    private final List<String> argv;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private OwnedProcess(String name, List<String> argv, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.argv = argv;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code argv} unchanged.
     *
     * @param environment the complete environment of the process, or {@code null} to inherit the test's
     * @param outputDir   where {@code NAME-N.stdout} and {@code NAME-N.stderr} are written
     */
    public static OwnedProcess start(String name, List<String> argv, Map<String, String> environment, Path outputDir)
            throws IOException {
        Files.createDirectories(outputDir);
        String base = name + "-" + SEQUENCE.incrementAndGet();
        Path out = outputDir.resolve(base + ".stdout");
        Path err = outputDir.resolve(base + ".stderr");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (environment != null) {
            builder.environment().clear();
            builder.environment().putAll(environment);
        }
        return new OwnedProcess(name, List.copyOf(argv), builder.start(), out, err);
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> argv() {
        return argv;
    }

    /** The PIDs of the processes it started that are still running (for autossh: its ssh). */
    public List<Long> childPids() {
        return process.children().map(ProcessHandle::pid).toList();
    }

    /** Waits for the process to exit on its own and returns its exit code, or fails after {@code bound}. */
    public int awaitExit(Duration bound) throws InterruptedException {
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + bound + " (hung?)\n" + describe());
        }
        return process.exitValue();
    }

    /** Everything it wrote to stderr so far. */
    public String stderr() {
        return read(stderr);
    }

    public String stdout() {
        return read(stdout);
    }

    /** For failure messages: what ran, whether it still runs, and the tail of its stderr. */
    public String describe() {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- " + name + " (pid " + pid() + ", " + state + "): " + String.join(" ", argv) + "\n"
                + "--- its stderr (tail):\n" + tail(stderr(), 30);
    }

    /** Ends the process (SIGTERM, then SIGKILL after a grace period), then anything it started, by PID. */
    @Override
    public void close() {
        List<ProcessHandle> descendants = process.descendants().toList();
        terminate(process.toHandle());
        descendants.forEach(OwnedProcess::terminate);
    }

    /**
     * Ends processes by PID, children before their parents, so that each is reaped by a parent still alive
     * rather than orphaned.
     */
    public static void terminateAll(List<ProcessHandle> handles) {
        Set<Long> pids = handles.stream().map(ProcessHandle::pid).collect(Collectors.toSet());
        ToIntFunction<ProcessHandle> depth = handle -> {
            int d = 0;
            for (var parent = handle.parent(); parent.isPresent() && pids.contains(parent.get().pid());
                 parent = parent.get().parent()) {
                d++;
            }
            return d;
        };
        handles.stream().sorted(Comparator.comparingInt(depth).reversed()).forEach(OwnedProcess::terminate);
    }

    /** Ends one process by PID: SIGTERM, and SIGKILL if it is still there after the grace period. */
    public static void terminate(ProcessHandle handle) {
        if (isGone(handle)) {
            return;
        }
        handle.destroy();
        if (!awaitGone(handle, GRACE)) {
            handle.destroyForcibly();
            awaitGone(handle, GRACE);
        }
    }

    /**
     * Whether the process has ended: reaped, or a zombie (ended, waiting for a parent to reap it, which for
     * a process whose parent died is PID 1, on its own schedule).
     */
    /**
     * Closes {@code processes} in the given order and returns what they were, descendants included, so that
     * a test can check afterwards that none of it still runs ({@link #stillRunning}).
     */
    public static List<ProcessHandle> closeAll(List<OwnedProcess> processes) {
        List<ProcessHandle> started = new ArrayList<>();
        for (OwnedProcess process : processes) {
            started.add(process.handle());
            started.addAll(process.handle().descendants().toList());
            process.close();
        }
        return started;
    }

    /** The PIDs of {@code handles} that are still running. */
    public static List<Long> stillRunning(List<ProcessHandle> handles) {
        return handles.stream().filter(handle -> !isGone(handle)).map(ProcessHandle::pid).toList();
    }

    public static boolean isGone(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + handle.pid() + "/stat"), StandardCharsets.US_ASCII);
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException vanished) {
            return !handle.isAlive();
        }
    }

    private static boolean awaitGone(ProcessHandle handle, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!isGone(handle)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The last {@code lines} lines of {@code text}. */
    public static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return name + "[" + pid() + "]";
    }
}
