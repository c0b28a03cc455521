package io.scitex.tunnel.bench;

import io.scitex.tunnel.testing.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * How long a tunnel takes to work end to end again after a fault at the bastion, timed from the moment the
 * bastion is back (accepts connections again, or its link carries packets again) to the first connection
 * through the bastion's port that gets the target's banner.
 */
final class Recovery {
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration ATTEMPT = Duration.ofMillis(500);
    private static final Duration BOUND = Duration.ofSeconds(120);
    private final BenchWorld world;

    Recovery(BenchWorld world) {
        this.world = world;
    }

    /** (a) The bastion kills the session that holds the forward; it accepts connections all along. */
    double afterSessionKilled(int port) throws IOException, InterruptedException {
        awaitPath(port);
        List<Long> session = Loopback.listenerPids(port);
        if (session.isEmpty()) {
            throw new IllegalStateException("no process listens on the bastion's port " + port);
        }
        long killed = System.nanoTime();
        session.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        // the first answer from a new session, not from the old one on its way out
        return millisSince(killed, () -> answers(port) && session.stream().noneMatch(Loopback.listenerPids(port)::contains));
    }

    /** (b) The bastion's sshd is down for {@code downtime}, sessions and all, then starts again. */
    double afterBastionDown(int port, Duration downtime) throws IOException, InterruptedException {
        awaitPath(port);
        world.stopBastion();
        Thread.sleep(downtime.toMillis()); // the outage itself
        world.startBastion();
        long back = awaitTrue(Recovery::bastionAccepts);
        return millisSince(back, () -> answers(port));
    }

    /** (c) Every packet to the bastion is dropped for {@code silence}, then the link works again. */
    double afterSilentLink(int port, Duration silence) throws IOException, InterruptedException {
        awaitPath(port);
        world.silenceBastion();
        Thread.sleep(silence.toMillis()); // the outage itself
        world.restoreBastion();
        return millisSince(System.nanoTime(), () -> answers(port));
    }

    /** Waits until the tunnel works, so that each fault starts from a healthy tunnel. */
    static void awaitPath(int port) throws InterruptedException {
        awaitTrue(() -> answers(port));
    }

    private static boolean answers(int port) {
        return new BenchClient(port).answers(ATTEMPT);
    }

    private static boolean bastionAccepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(BenchWorld.BASTION_HOST, BenchWorld.BASTION_PORT), (int) ATTEMPT.toMillis());
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static double millisSince(long start, Condition condition) throws InterruptedException {
        return (awaitTrue(condition) - start) / 1e6;
    }

    /** Polls until {@code condition} holds; returns when it first did ({@code nanoTime}). */
    private static long awaitTrue(Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return System.nanoTime();
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("not recovered within " + BOUND.toSeconds() + " s");
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds();
    }
}
