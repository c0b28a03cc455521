package io.scitex.tunnel.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a tunnel's recent journal says: the newest problem, and whether the current ssh connection attempt
 * is still running or has already failed. autossh logs "ssh child pid is N" for each attempt, and ssh's own
 * lines carry that PID, so an attempt's lines are told apart from older ones however the journal interleaves
 * them.
 *
 * @param events    the lines read, oldest first
 * @param lastError the newest line that reports a problem
 * @param attempt   the current connection attempt, as far as the journal shows it
 */
public record TunnelJournal(List<JournalEvent> events, Optional<JournalEvent> lastError, Attempt attempt) {
    public TunnelJournal {
        events = List.copyOf(events);
    }

    /** A journal that could not be read (not allowed, or no journal): it says nothing. */
    public static final TunnelJournal UNREADABLE = new TunnelJournal(List.of(), Optional.empty(),
            new Attempt(AttemptState.UNSEEN, Optional.empty(), Optional.empty(), Optional.empty()));

    /** What the current ssh connection attempt is doing. */
    public enum AttemptState {
        /** No attempt in the lines read: the session started before them (or the journal was not readable). */
        UNSEEN,
        /** The newest attempt has reported no problem that ends it. */
        RUNNING,
        /** The newest attempt failed or ended (autossh may be waiting to retry). */
        FAILED
    }

    /**
     * @param state    running, failed or not seen
     * @param started  when the attempt started
     * @param cause    for a failed attempt: the line that says why, if one does
     * @param previous the line that says why the attempt before this one ended, if the lines read hold one
     */
    public record Attempt(AttemptState state, Optional<Instant> started, Optional<JournalEvent> cause,
                          Optional<JournalEvent> previous) {}

    /** Summarizes a tunnel's journal lines (any order). */
    public static TunnelJournal of(List<JournalEvent> lines) {
        List<JournalEvent> events = lines.stream().sorted(Comparator.comparing(JournalEvent::time)).toList();
        return new TunnelJournal(events, lastError(events), attempt(events));
    }

    /** The newest problem (see {@link #mostTelling}). */
    private static Optional<JournalEvent> lastError(List<JournalEvent> events) {
        return events.stream().filter(e -> e.kind().isProblem()).reduce((first, second) -> second)
                .map(newest -> mostTelling(events, newest));
    }

    private static Attempt attempt(List<JournalEvent> events) {
        int start = -1;
        long child = 0;
        long previousChild = 0;
        for (int i = 0; i < events.size(); i++) {
            OptionalLong pid = events.get(i).startedPid();
            if (pid.isPresent()) {
                start = i;
                previousChild = child;
                child = pid.getAsLong();
            }
        }
        if (start < 0) {
            return new Attempt(AttemptState.UNSEEN, Optional.empty(), Optional.empty(), Optional.empty());
        }
        Optional<Instant> started = Optional.of(events.get(start).time());
        Optional<JournalEvent> previous = previousChild == 0 ? Optional.empty() : ownEnd(events, previousChild);
        JournalEvent cause = null;
        boolean ended = false;
        for (JournalEvent event : events.subList(start + 1, events.size())) {
            if (event.pid() == child && event.kind().endsSession()) {
                cause = event; // ssh's own word on why
            } else if (event.pid() != child && event.kind().endsSession()) {
                ended = true; // autossh saw it exit, or systemd stopped the service
            }
        }
        if (cause == null && !ended) {
            return new Attempt(AttemptState.RUNNING, started, Optional.empty(), previous);
        }
        return new Attempt(AttemptState.FAILED, started, Optional.ofNullable(cause).map(c -> mostTelling(events, c)),
                previous);
    }

    /** ssh's own last word on why the connection of process {@code child} ended, if it said one. */
    /** How long before a failed start its causes are looked for: a start's lines come within a moment. */
    private static final java.time.Duration START_LINES = java.time.Duration.ofSeconds(5);

    /**
     * The most telling line of the failed start that ends in {@code line}: systemd's step that failed (it names the
     * program and the error), else the JVM's refusal, else systemd's exit status, else {@code line} itself.
     */
    private static JournalEvent startCause(List<JournalEvent> events, JournalEvent line) {
        Instant from = line.time().minus(START_LINES);
        List<JournalEvent> start = events.stream()
                .filter(e -> !e.time().isAfter(line.time()) && !e.time().isBefore(from)).toList();
        Optional<JournalEvent> step = newest(start, e -> e.kind() == JournalEvent.Kind.START_FAILED
                && !e.message().contains("Main process exited"));
        return step.or(() -> newest(start, e -> e.kind() == JournalEvent.Kind.JVM_REFUSED
                        && !e.message().startsWith("Error: Could not create")))
                .or(() -> newest(start, e -> e.kind() == JournalEvent.Kind.JVM_REFUSED))
                .or(() -> newest(start, e -> e.kind() == JournalEvent.Kind.START_FAILED))
                .orElse(line);
    }

    private static Optional<JournalEvent> newest(List<JournalEvent> events, java.util.function.Predicate<JournalEvent> which) {
        return events.stream().filter(which).reduce((first, second) -> second);
    }

    private static Optional<JournalEvent> ownEnd(List<JournalEvent> events, long child) {
        return events.stream().filter(e -> e.pid() == child && e.kind().endsSession()).reduce((first, second) -> second)
                .map(line -> mostTelling(events, line));
    }

    /**
     * Some failures take several lines, the last of them the least telling. A host key problem ends in a
     * generic "Host key verification failed."; the line above it from the same process says whether the key
     * changed or is unknown. A service that could not start ends in systemd's "Failed with result" or "status=203/EXEC";
     * the lines just before it say why (systemd's "Failed at step EXEC spawning ...", the JVM's refusal).
     */
    private static JournalEvent mostTelling(List<JournalEvent> events, JournalEvent line) {
        if (line.kind() == JournalEvent.Kind.SERVICE_FAILED || line.kind() == JournalEvent.Kind.START_FAILED
                || line.kind() == JournalEvent.Kind.JVM_REFUSED) {
            return startCause(events, line);
        }
        if (line.kind() != JournalEvent.Kind.HOST_KEY_FAILED || line.pid() == 0) {
            return line;
        }
        return events.stream()
                .filter(e -> e.pid() == line.pid() && !e.time().isAfter(line.time()))
                .filter(e -> e.kind() == JournalEvent.Kind.HOST_KEY_CHANGED || e.kind() == JournalEvent.Kind.HOST_KEY_UNKNOWN)
                .reduce((first, second) -> second).orElse(line);
    }
}
