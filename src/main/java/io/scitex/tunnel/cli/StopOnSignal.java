package io.scitex.tunnel.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;

/**
 * Holds a command in the foreground until SIGTERM (systemctl stop) or SIGINT (Ctrl-C). Both end the JVM
 * through its shutdown hooks; this one closes what the command holds and then halts with status 0, since a
 * stop that was asked for is a success (the JVM would otherwise report 143 or 130). Nothing else ends a
 * command held this way.
 */
final class StopOnSignal {
    private final AutoCloseable held;
    private final String closing;
    private final PrintStream err;
    private final IntConsumer halt;

    /** @param closing what closing {@code held} is, for the line that says it failed ("closing the tunnel") */
    StopOnSignal(AutoCloseable held, String closing) {
        this(held, closing, System.err, Runtime.getRuntime()::halt);
    }

    StopOnSignal(AutoCloseable held, String closing, PrintStream err, IntConsumer halt) {
        this.held = held;
        this.closing = closing;
        this.err = err;
        this.halt = halt;
    }

    /** Waits for the signal; it never returns, the process ends in {@link #stop}. */
    void await() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "scitex-tunnel-stop"));
        new CountDownLatch(1).await();
    }

    /** The shutdown hook: close, say so in one line if that failed, flush what was printed, halt with 0. */
    void stop() {
        try {
            held.close();
        } catch (Exception e) {
            err.println("scitex-tunnel: " + closing + ": " + e.getMessage());
        }
        System.out.flush();
        err.flush();
        halt.accept(ExitCode.OK);
    }
}
