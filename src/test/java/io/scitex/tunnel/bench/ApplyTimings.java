package io.scitex.tunnel.bench;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code apply} of a tunnels file with 1 and with 50 autossh tunnels (each verified end to end, as apply does),
 * and a no-change re-apply of 50, against {@code setup} of one tunnel, the command it replaces. The systemctl
 * commands each run makes are counted for real: a {@code systemctl} earlier on the tool's PATH logs each call and
 * runs the real one.
 */
final class ApplyTimings {
    private static final int FIRST_PORT = 31001;
    private static final Path COUNTER = Path.of("/run/scitex-bench-systemctl");
    private static final Path CALLS = COUNTER.resolve("calls");
    private final CommandRunner runner = new CommandRunner(Duration.ofMinutes(10));
    private final int runs;

    ApplyTimings(int runs) {
        this.runs = runs;
    }

    /** Measures, handing each sample to {@code record} (key, value); leaves no tunnel of its own behind. */
    void run(BiConsumer<String, Double> record) throws IOException, InterruptedException {
        String systemctl = sh("command -v systemctl").strip();
        Files.createDirectories(COUNTER);
        Path wrapper = COUNTER.resolve("systemctl");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$*\" >> " + CALLS + "\nexec " + systemctl + " \"$@\"\n");
        wrapper.toFile().setExecutable(true);
        Path one = tunnelsFile(1);
        Path fifty = tunnelsFile(50);
        Path none = Files.writeString(Path.of("/root/bench-tunnels-0.toml"), "# no tunnels\n");
        try {
            for (int i = 0; i < Math.max(2, runs / 2); i++) {
                apply(none, "--prune");
                record.accept("setup 1", time(List.of(BenchWorld.LAUNCHER, "setup", "-p", Integer.toString(FIRST_PORT),
                        "-b", BenchWorld.BASTION, "-s", "/root/.ssh/id_rsa", "--target", "127.0.0.1:22")));
                record.accept("systemctl setup 1", (double) calls());
                apply(none, "--prune");
                record.accept("apply 1", apply(one));
                record.accept("systemctl apply 1", (double) calls());
                record.accept("apply 1 unchanged", apply(one));
                record.accept("systemctl apply 1 unchanged", (double) calls());
            }
            for (int i = 0; i < Math.max(1, runs / 5); i++) {
                apply(none, "--prune");
                record.accept("apply 50", apply(fifty));
                record.accept("systemctl apply 50", (double) calls());
                for (int j = 0; j < runs; j++) {
                    record.accept("apply 50 unchanged", apply(fifty));
                    record.accept("systemctl apply 50 unchanged", (double) calls());
                }
            }
        } finally {
            apply(none, "--prune");
            sh("rm -rf " + COUNTER + " /root/bench-tunnels-*.toml");
        }
    }

    /** {@code count} autossh tunnels from port 31001 to this machine's sshd, through the bench's bastion. */
    private static Path tunnelsFile(int count) throws IOException {
        StringBuilder text = new StringBuilder("[defaults]\nbastion = \"" + BenchWorld.BASTION + "\"\n"
                + "key = \"/root/.ssh/id_rsa\"\ntarget = \"127.0.0.1:22\"\nwait = 120\n");
        for (int port = FIRST_PORT; port < FIRST_PORT + count; port++) {
            text.append("\n[[tunnel]]\nport = ").append(port).append('\n');
        }
        return Files.writeString(Path.of("/root/bench-tunnels-" + count + ".toml"), text.toString());
    }

    /** Wall time of {@code apply -f file} in milliseconds, with the systemctl counter emptied first. */
    private double apply(Path file, String... options) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(BenchWorld.LAUNCHER, "apply", "-f", file.toString()));
        argv.addAll(List.of(options));
        return time(argv);
    }

    private double time(List<String> argv) throws IOException, InterruptedException {
        Files.deleteIfExists(CALLS);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PATH", COUNTER + ":" + builder.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        long started = System.nanoTime();
        int exit = builder.start().waitFor();
        double millis = (System.nanoTime() - started) / 1e6;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + exit);
        }
        return millis;
    }

    /** The systemctl commands the last timed command ran. */
    private static long calls() throws IOException {
        return Files.exists(CALLS) ? Files.readAllLines(CALLS).size() : 0;
    }

    private String sh(String script) throws IOException {
        CommandResult result = runner.run(List.of("bash", "-c", script));
        if (!result.succeeded()) {
            throw new IllegalStateException(script + " failed: " + result.stderr());
        }
        return result.stdout();
    }
}
