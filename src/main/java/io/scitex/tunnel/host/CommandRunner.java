package io.scitex.tunnel.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external commands (systemctl, ssh-keyscan, getent) without a shell, so no argument is ever
 * re-parsed, and never waits longer than its timeout.
 */
public class CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
    private final Duration timeout;

    public CommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    public CommandRunner() {
        this(Duration.ofSeconds(90));
    }

    /** Runs argv to completion; a command that cannot be started or runs too long is an {@link IOException}. */
    public CommandResult run(List<String> argv) throws IOException {
        LOG.debug("running {}", argv);
        Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(devNull())).start();
        CompletableFuture<String> stdout = readAll(process.getInputStream());
        CompletableFuture<String> stderr = readAll(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            CommandResult result = new CommandResult(argv, process.exitValue(), stdout.join(), stderr.join());
            LOG.debug("{} exited {}", argv.get(0), result.exitCode());
            return result;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
    }

    private static java.io.File devNull() {
        return new java.io.File("/dev/null");
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
