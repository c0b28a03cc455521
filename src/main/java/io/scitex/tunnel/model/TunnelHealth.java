package io.scitex.tunnel.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a tunnel works end to end, and why (or why not).
 *
 * @param health    up, degraded, down or unknown
 * @param detail    one line that says why
 * @param checkedAt when it was checked
 * @param lastError the newest problem in the unit's journal, if it was read and had one
 * @param probe     the end-to-end probe's outcome, if a probe ran
 */
public record TunnelHealth(Health health, String detail, Instant checkedAt, Optional<JournalEvent> lastError,
                           Optional<ProbeOutcome> probe) {
    /**
     * How long an ssh attempt that follows a refused forward must have run, when the check starts, before
     * what answers on the bastion's port counts as its forward. ssh hears a refusal right after it has
     * logged in and exits (a quarter to half a second on loopback, a few seconds on a slow link); until
     * then, the answer comes from whoever holds the port, and autossh tries again every few seconds while
     * the port stays taken.
     */
    static final Duration REFUSED_FORWARD_SETTLE = Duration.ofSeconds(5);

    /** How recent a failed start must be to explain a tunnel whose service is active but reaches nothing. */
    static final Duration RECENT_START_FAILURE = Duration.ofMinutes(1);

    public TunnelHealth {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(lastError, "lastError");
        Objects.requireNonNull(probe, "probe");
    }

    /**
     * Why the service cannot start, when the journal's newest problem says so and was logged at or after
     * {@code starting}: a failure of an earlier start of the same unit does not count.
     */
    public Optional<StartFailure> startFailureSince(Instant starting) {
        return lastError.filter(error -> !error.time().isBefore(starting)).flatMap(StartFailure::of);
    }

    /** How long the probe took, if one ran. */
    public Optional<Duration> probeDuration() {
        return probe.map(ProbeOutcome::duration);
    }

    /** Without a probe, as before probes existed: a tunnel whose service is active counts as up. */
    public static TunnelHealth fromServiceState(String state, String subState, Instant now) {
        return derive(0, state, subState, Optional.empty(), Optional.empty(), now);
    }

    /**
     * Combines what systemd, the journal and the probe say. A changed host key outranks everything; a
     * journal that shows the current ssh attempt failed, or that it follows a refused forward and is too
     * young to have been refused too (see {@link #REFUSED_FORWARD_SETTLE}), outranks the probe (whatever the
     * probe reached on the bastion's port then is not this tunnel's forward); otherwise the probe decides.
     *
     * @param port     the tunnel's port (for messages)
     * @param probed   the probe's outcome; empty when not probed: then an active service counts as up
     * @param journal  empty if the journal was not read or could not be
     */
    public static TunnelHealth derive(int port, String state, String subState, Optional<ProbeOutcome> probed,
                                      Optional<TunnelJournal> journal, Instant now) {
        return derive(port, state, subState, probed, journal, Optional.empty(), now);
    }

    /**
     * As {@link #derive(int, String, String, Optional, Optional, Instant)}, for a native tunnel whose engine's
     * own state was read: an engine that says its forward is not up (waiting for a port the bastion gives to
     * another client, backing off after a lost session) is down, whatever answers on the bastion's port.
     */
    public static TunnelHealth derive(int port, String state, String subState, Optional<ProbeOutcome> probed,
                                      Optional<TunnelJournal> journal, Optional<EngineReport> engine, Instant now) {
        Optional<JournalEvent> lastError = journal.flatMap(TunnelJournal::lastError);
        Optional<StartFailure> cannotStart = lastError.flatMap(StartFailure::of);
        if (!"active".equals(state)) {
            return new TunnelHealth(Health.DOWN, serviceNotRunning(state, subState)
                    + cannotStart.map(failure -> ": it cannot start: " + failure.describe()).orElse(""), now, lastError,
                    probed);
        }
        if (probed.isEmpty()) {
            return new TunnelHealth(Health.UP, "service active (not probed)", now, lastError, probed);
        }
        ProbeOutcome probe = probed.get();
        if (probe.result() == ProbeOutcome.Result.HOST_KEY_CHANGED || probe.result() == ProbeOutcome.Result.OTHER_MACHINE) {
            return new TunnelHealth(Health.DOWN, probe.detail(), now, lastError, probed);
        }
        // A process systemd cannot start is "active" for the moment between each restart and the failed exec:
        // a recent start failure, with nothing reached through the tunnel, is why.
        if (cannotStart.isPresent() && probe.result() != ProbeOutcome.Result.TARGET_ANSWERED
                && Duration.between(lastError.get().time(), now).compareTo(RECENT_START_FAILURE) < 0) {
            return new TunnelHealth(Health.DOWN, "the service keeps failing to start (systemd restarts it): "
                    + cannotStart.get().describe(), now, lastError, probed);
        }
        if (engine.isPresent() && !engine.get().isUp()) {
            EngineReport report = engine.get();
            return new TunnelHealth(Health.DOWN, "the native engine is " + report.phase()
                    + report.lastError().map(error -> ": " + error).orElse(""), now, lastError, probed);
        }
        TunnelJournal.Attempt attempt = journal.map(TunnelJournal::attempt).orElse(TunnelJournal.UNREADABLE.attempt());
        if (attempt.state() == TunnelJournal.AttemptState.FAILED) {
            String why = attempt.cause().map(cause -> describe(cause, port))
                    .orElse("ssh is not connected to the bastion; autossh is retrying");
            return new TunnelHealth(Health.DOWN, why, now, lastError, probed);
        }
        Optional<JournalEvent> refusedBefore = attempt.previous().filter(p -> p.kind() == JournalEvent.Kind.FORWARD_REFUSED);
        Optional<Duration> age = attempt.started().map(started -> Duration.between(started, now));
        if (attempt.state() == TunnelJournal.AttemptState.RUNNING && refusedBefore.isPresent() && age.isPresent()
                && age.get().compareTo(REFUSED_FORWARD_SETTLE) < 0) {
            return new TunnelHealth(Health.DOWN, describe(refusedBefore.get(), port) + "; autossh is trying again"
                    + " (its new attempt started " + seconds(age.get()) + " ago)", now, lastError, probed);
        }
        String unverified = journal.isEmpty() && probe.result() == ProbeOutcome.Result.TARGET_ANSWERED
                ? " (journal not readable: run with sudo to confirm the forward is this tunnel's)" : "";
        Health health = switch (probe.result()) {
            case TARGET_ANSWERED -> Health.UP;
            case TARGET_CLOSED, TARGET_SILENT -> Health.DEGRADED;
            case FORWARD_MISSING, BASTION_UNREACHABLE, HOST_KEY_CHANGED, OTHER_MACHINE, HOST_KEY_UNKNOWN, AUTH_REJECTED ->
                    Health.DOWN;
            case NO_EVIDENCE, PROBE_REFUSED, CANNOT_PROBE -> Health.UNKNOWN;
        };
        return new TunnelHealth(health, probe.detail() + unverified, now, lastError, probed);
    }

    /** One line for people about a journal line that ended an ssh connection. */
    private static String describe(JournalEvent cause, int port) {
        return switch (cause.kind()) {
            case FORWARD_REFUSED -> "the bastion refused to forward port " + port + ": the port is taken there"
                    + " (by another client, or by this tunnel's previous session)";
            case HOST_KEY_CHANGED -> "bastion host key changed — possible man-in-the-middle (journal: " + cause.message() + ")";
            case HOST_KEY_UNKNOWN, HOST_KEY_FAILED -> "the bastion's host key is not the pinned one: " + cause.message();
            case AUTH_FAILED -> "the bastion refused the tunnel's key: " + cause.message();
            case CONNECT_FAILED -> "cannot reach the bastion: " + cause.message();
            case LINK_DEAD -> "the link to the bastion went dead (no answer to keepalives); autossh is reconnecting";
            case DISCONNECTED -> "the bastion closed the connection: " + cause.message();
            default -> "ssh is not connected: " + cause.message();
        };
    }

    private static String seconds(Duration age) {
        return String.format(Locale.ROOT, "%.1f s", Math.max(0, age.toMillis()) / 1000.0);
    }

    private static String serviceNotRunning(String state, String subState) {
        return "activating".equals(state) && "auto-restart".equals(subState)
                ? "service is waiting to be restarted by systemd (activating/auto-restart)"
                : "service is not running: " + state + " (" + subState + ")";
    }
}
