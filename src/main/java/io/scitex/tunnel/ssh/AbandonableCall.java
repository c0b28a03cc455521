package io.scitex.tunnel.ssh;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work that is waited for at most a given time. Some waits cannot be cut short from outside — opening a
 * FIFO for reading blocks until a writer comes, a name lookup until the resolver gives up — so the work runs
 * in a daemon thread of its own, which is interrupted and left behind when it overruns.
 */
final class AbandonableCall {
    private AbandonableCall() {}

    /**
     * The result of {@code work}, or empty if it did not finish within {@code bound}.
     *
     * @throws ExecutionException if the work threw; its cause is what it threw
     */
    static <T> Optional<T> within(Duration bound, String name, Callable<T> work)
            throws ExecutionException, InterruptedException {
        FutureTask<T> task = new FutureTask<>(work);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        try {
            return Optional.of(task.get(bound.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException overran) {
            return Optional.empty();
        } finally {
            task.cancel(true);
        }
    }
}
