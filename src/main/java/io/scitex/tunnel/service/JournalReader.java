package io.scitex.tunnel.service;

import io.scitex.tunnel.model.JournalEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The units' journals as the workflows read them. {@link Journalctl} reads systemd's; tests hand in a fake. */
public interface JournalReader {
    /**
     * The journal lines of {@code units} since {@code since}, by unit, oldest first; empty when this user may
     * not read them.
     */
    Optional<Map<String, List<JournalEvent>>> read(List<String> units, Instant since) throws IOException;

    /**
     * Streams one unit's journal to {@code sink}: the last {@code lines} lines, and with {@code follow} every
     * new one until the journal reader ends. Returns its exit code.
     */
    int stream(String unit, int lines, boolean follow, Consumer<JournalEvent> sink) throws IOException;
}
