package io.scitex.tunnel;

import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelJournal;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.Journal;
import io.scitex.tunnel.ssh.ForwardProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks tunnels end to end: what systemd says, a probe through each running tunnel's forward, then the
 * journal's newest problems, and from all three each tunnel's health.
 */
final class TunnelChecker {
    private static final Logger LOG = LoggerFactory.getLogger(ScitexTunnel.class); // see package-info
    /**
     * How far back a check reads the journal. autossh retries a failing ssh at least every AUTOSSH_POLL
     * (10 s), so a failing tunnel always has recent lines; a connection attempt older than this that
     * reported nothing has long been up.
     */
    static final Duration JOURNAL_WINDOW = Duration.ofMinutes(15);

    private final TunnelStatuses statuses;
    private final ProbeTargets probeTargets;
    private final Journal journal;

    TunnelChecker(TunnelStatuses statuses, ProbeTargets probeTargets, Journal journal) {
        this.statuses = statuses;
        this.probeTargets = probeTargets;
        this.journal = journal;
    }

    /** Every tunnel, probed in parallel, each within {@code probeTimeout}, with one journalctl for all units. */
    List<TunnelStatus> all(Duration probeTimeout) {
        return check(statuses.all(), probeTimeout);
    }

    /** The tunnel on {@code port}; {@link io.scitex.tunnel.model.NoSuchTunnelException} if there is none. */
    TunnelStatus of(int port, Duration probeTimeout) {
        return check(List.of(statuses.of(port)), probeTimeout).get(0);
    }

    private List<TunnelStatus> check(List<TunnelStatus> tunnels, Duration probeTimeout) {
        if (tunnels.isEmpty()) {
            return tunnels;
        }
        Instant now = Instant.now();
        List<TunnelStatus> running = tunnels.stream().filter(t -> "active".equals(t.state())).toList();
        Map<String, Path> homes = new HashMap<>();
        List<ProbeOutcome> outcomes = new ArrayList<>();
        List<ForwardProbe.Tunnel> probes = new ArrayList<>();
        List<Integer> probeSlots = new ArrayList<>();
        for (TunnelStatus tunnel : running) {
            try {
                probes.add(probeTargets.of(tunnel, homes));
                probeSlots.add(outcomes.size());
                outcomes.add(null); // filled in below
            } catch (RuntimeException unusable) {
                outcomes.add(new ProbeOutcome(ProbeOutcome.Result.CANNOT_PROBE, unusable.getMessage(), Duration.ZERO));
            }
        }
        long probing = System.nanoTime();
        List<ProbeOutcome> probed = new ForwardProbe(probeTimeout).probeAll(probes);
        LOG.debug("probed {} tunnels in {} ms", probes.size(), (System.nanoTime() - probing) / 1_000_000);
        for (int i = 0; i < probed.size(); i++) {
            outcomes.set(probeSlots.get(i), probed.get(i));
        }
        // The journal is read after the probes, so that it holds what ssh said about the probes' own
        // connections too (e.g. "connect_to 127.0.0.1 port 8022: failed." for a target that is down).
        List<String> names = tunnels.stream().map(TunnelStatus::unit).toList();
        long reading = System.nanoTime();
        Optional<Map<String, List<JournalEvent>>> lines = readJournal(names, now.minus(JOURNAL_WINDOW));
        LOG.debug("read the journal of {} units in {} ms ({})", names.size(), (System.nanoTime() - reading) / 1_000_000,
                lines.isPresent() ? "complete" : "not readable");
        List<TunnelStatus> checked = new ArrayList<>();
        for (TunnelStatus tunnel : tunnels) {
            int index = running.indexOf(tunnel);
            Optional<ProbeOutcome> outcome = index < 0 ? Optional.empty() : Optional.of(outcomes.get(index));
            Optional<TunnelJournal> journal = lines.map(byUnit -> TunnelJournal.of(byUnit.getOrDefault(tunnel.unit(), List.of())));
            checked.add(tunnel.withHealth(TunnelHealth.derive(tunnel.port(), tunnel.state(), tunnel.subState(), outcome,
                    journal, now)));
        }
        return checked;
    }

    /** The journal of {@code names} since {@code since}; empty when it cannot be read (health then goes without). */
    private Optional<Map<String, List<JournalEvent>>> readJournal(List<String> names, Instant since) {
        try {
            return journal.read(names, since);
        } catch (IOException e) {
            LOG.debug("cannot read the journal: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
