package io.scitex.tunnel.testing;

import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.service.JournalReader;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A journal held in memory: lines are added per unit; it can be made unreadable. */
public final class FakeJournal implements JournalReader {
    private final Map<String, List<JournalEvent>> lines = new HashMap<>();
    private final List<String> reads = new ArrayList<>();
    private boolean readable = true;
    private int exitCode;
    private IOException failure;

    public FakeJournal add(String unit, JournalEvent event) {
        lines.computeIfAbsent(unit, u -> new ArrayList<>()).add(event);
        return this;
    }

    /** As for a user who may not read the system journal. */
    public FakeJournal unreadable() {
        readable = false;
        return this;
    }

    /** What {@link #stream} returns, as journalctl's exit code. */
    public FakeJournal exitingWith(int exitCode) {
        this.exitCode = exitCode;
        return this;
    }

    /** Each read, as {@code "read UNIT UNIT..."} or {@code "stream UNIT LINES follow"}. */
    public List<String> reads() {
        return List.copyOf(reads);
    }

    @Override
    public Optional<Map<String, List<JournalEvent>>> read(List<String> units, Instant since) throws IOException {
        reads.add("read " + String.join(" ", units));
        if (failure != null) {
            throw failure;
        }
        if (!readable) {
            return Optional.empty();
        }
        Map<String, List<JournalEvent>> byUnit = new HashMap<>();
        for (String unit : units) {
            byUnit.put(unit, lines.getOrDefault(unit, List.of()).stream()
                    .filter(event -> !event.time().isBefore(since)).toList());
        }
        return Optional.of(byUnit);
    }

    @Override
    public int stream(String unit, int count, boolean follow, Consumer<JournalEvent> sink) throws IOException {
        reads.add("stream " + unit + " " + count + (follow ? " follow" : ""));
        if (failure != null) {
            throw failure;
        }
        List<JournalEvent> all = lines.getOrDefault(unit, List.of());
        all.subList(Math.max(0, all.size() - count), all.size()).forEach(sink);
        return exitCode;
    }

    /** Makes every later read and stream fail with an IOException saying {@code message} (after being recorded). */
    public FakeJournal failing(String message) {
        failure = new IOException(message);
        return this;
    }
}
