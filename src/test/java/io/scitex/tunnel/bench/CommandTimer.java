package io.scitex.tunnel.bench;

import java.io.IOException;
import java.util.List;

/** Wall time of whole commands, process start to exit, output discarded: what a user or a script waits. */
final class CommandTimer {
    private CommandTimer() {}

    /** {@code runs} timings of {@code argv} in milliseconds, after {@code warmUps} untimed runs. */
    static Samples time(List<String> argv, int warmUps, int runs) throws IOException, InterruptedException {
        for (int i = 0; i < warmUps; i++) {
            runOnce(argv);
        }
        double[] millis = new double[runs];
        for (int i = 0; i < runs; i++) {
            millis[i] = runOnce(argv);
        }
        return Samples.of(millis);
    }

    private static double runOnce(List<String> argv) throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process process = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int exit = process.waitFor();
        double millis = (System.nanoTime() - started) / 1e6;
        // status exits 3 when a tunnel is not up: still a complete answer, but a timing worth a second look
        if (exit != 0 && exit != 3) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + exit);
        }
        return millis;
    }
}
