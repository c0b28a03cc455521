package io.scitex.tunnel.testing;

import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.engine.EngineState;
import io.scitex.tunnel.engine.TunnelListener;
import io.scitex.tunnel.engine.TunnelPhase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Records every state a native tunnel announces, with the moment it did, for assertions and timings. */
public final class StateRecorder implements TunnelListener {
    /** One announced state and when it arrived ({@link System#nanoTime()}). */
    public record Change(long nanos, EngineState state) {}

    private final List<Change> changes = new CopyOnWriteArrayList<>();

    @Override
    public void stateChanged(EngineState state) {
        changes.add(new Change(System.nanoTime(), state));
    }

    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /** The first change after {@code afterNanos} that matches; waits for it at most {@code bound}. */
    public Change awaitFirst(String what, Predicate<EngineState> matches, long afterNanos, Duration bound) {
        return await(what).atMost(bound).pollInterval(Duration.ofMillis(20))
                .until(() -> first(matches, afterNanos), found -> found != null);
    }

    /** Waits at most {@code bound} for the tunnel to be up (announced after {@code afterNanos}). */
    public Change awaitUp(long afterNanos, Duration bound) {
        return awaitFirst("tunnel up", state -> state.phase() == TunnelPhase.UP, afterNanos, bound);
    }

    public Change first(Predicate<EngineState> matches, long afterNanos) {
        return changes.stream().filter(c -> c.nanos() > afterNanos && matches.test(c.state())).findFirst().orElse(null);
    }

    public long count(Predicate<EngineState> matches) {
        return changes.stream().filter(c -> matches.test(c.state())).count();
    }

    /** For failure messages: every change, one per line. */
    public String describe() {
        long start = changes.isEmpty() ? 0 : changes.get(0).nanos();
        return changes.stream().map(c -> String.format("  +%5d ms %s reconnects=%d %s", (c.nanos() - start) / 1_000_000,
                c.state().phase().label(), c.state().reconnects(), c.state().lastError().orElse("")))
                .collect(Collectors.joining("\n", "--- tunnel states:\n", ""));
    }
}
