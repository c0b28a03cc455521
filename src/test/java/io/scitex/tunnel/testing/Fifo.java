package io.scitex.tunnel.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Named pipes, made by {@code mkfifo}: a file that blocks whoever opens it to read until a writer comes. */
public final class Fifo {
    private Fifo() {}

    /** Makes a FIFO at {@code path} (mode 600) that nobody writes to. */
    public static Path make(Path path) throws IOException, InterruptedException {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
        String output = new String(mkfifo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!mkfifo.waitFor(30, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
            mkfifo.destroyForcibly();
            throw new IOException("mkfifo " + path + " failed: " + output);
        }
        return path;
    }
}
