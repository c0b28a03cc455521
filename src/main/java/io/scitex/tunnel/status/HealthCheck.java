package io.scitex.tunnel.status;

import io.scitex.tunnel.model.EngineReport;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelJournal;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.JournalReader;
import io.scitex.tunnel.ssh.BastionNetwork;
import io.scitex.tunnel.ssh.ForwardProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
 * Checks tunnels end to end: what the service manager says, a probe through each running tunnel's forward,
 * then the journal's newest problems, and from all three each tunnel's health.
 */
public final class HealthCheck {
    /** The default time each end-to-end probe may take. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How far back a check reads the journal. autossh retries a failing ssh at least every AUTOSSH_POLL
     * (10 s), so a failing tunnel always has recent lines; a connection attempt older than this that
     * reported nothing has long been up.
     */
    static final Duration JOURNAL_WINDOW = Duration.ofMinutes(15);
    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    private final ServiceStates states;
    private final ProbeTargets probeTargets;
    private final BastionNetwork network;
    private final JournalReader journal;
    private final EngineStates engines;
    private final Clock clock;

    /** A check that reads no native engine's state files. */
    public HealthCheck(ServiceStates states, ProbeTargets probeTargets, BastionNetwork network, JournalReader journal,
                       Clock clock) {
        this(states, probeTargets, network, journal, Optional.empty(), clock);
    }

    /** @param engines reads native tunnels' state files; empty: none is read */
    public HealthCheck(ServiceStates states, ProbeTargets probeTargets, BastionNetwork network, JournalReader journal,
                       Optional<EngineStates> engines, Clock clock) {
        this.states = states;
        this.probeTargets = probeTargets;
        this.network = network;
        this.journal = journal;
        this.engines = engines.orElse(null);
        this.clock = clock;
    }

    /** Every tunnel, probed in parallel, each within {@code probeTimeout}, with one journal read for all units. */
    public List<InstalledTunnel> all(Duration probeTimeout) {
        return check(states.read(), probeTimeout);
    }

    /** The tunnel on {@code port}; {@link io.scitex.tunnel.model.NoSuchTunnelException} if there is none. */
    public InstalledTunnel of(int port, Duration probeTimeout) {
        return check(List.of(states.read(port)), probeTimeout).get(0);
    }

    /**
     * The tunnels on {@code ports} that are installed, checked as {@link #all} checks them: one query of the
     * service manager and one journal read, whatever their number.
     */
    public List<InstalledTunnel> of(java.util.Set<Integer> ports, Duration probeTimeout) {
        return check(states.read().stream().filter(t -> ports.contains(t.port())).toList(), probeTimeout);
    }

    private List<InstalledTunnel> check(List<InstalledTunnel> tunnels, Duration probeTimeout) {
        if (tunnels.isEmpty()) {
            return tunnels;
        }
        Instant now = clock.instant();
        Map<Integer, EngineReport> before = engineReports(tunnels);
        Map<Integer, ProbeOutcome> outcomes = probeRunning(tunnels, probeTimeout);
        Map<Integer, EngineReport> after = engineReports(tunnels);
        for (InstalledTunnel tunnel : tunnels) {
            Optional.ofNullable(after.get(tunnel.port())).ifPresent(report -> outcomes.computeIfPresent(tunnel.port(),
                    (port, outcome) -> relayed(outcome, Optional.ofNullable(before.get(port)), report,
                            tunnel.status().target().orElse("the target"))));
        }
        // The journal is read after the probes, so that it holds what ssh said about the probes' own
        // connections too (e.g. "connect_to 127.0.0.1 port 8022: failed." for a target that is down).
        List<String> names = tunnels.stream().map(t -> t.status().unit()).toList();
        long reading = System.nanoTime();
        Optional<Map<String, List<JournalEvent>>> lines = readJournal(names, now.minus(JOURNAL_WINDOW));
        LOG.debug("read the journal of {} units in {} ms ({})", names.size(), (System.nanoTime() - reading) / 1_000_000,
                lines.isPresent() ? "complete" : "not readable");
        List<InstalledTunnel> checked = new ArrayList<>();
        for (InstalledTunnel tunnel : tunnels) {
            TunnelStatus status = tunnel.status();
            Optional<TunnelJournal> unitJournal = lines.map(byUnit -> TunnelJournal.of(
                    byUnit.getOrDefault(status.unit(), List.of())));
            Optional<EngineReport> engine = Optional.ofNullable(after.get(status.port()));
            checked.add(tunnel.withStatus(status.withHealth(TunnelHealth.derive(status.port(), status.state(),
                    status.subState(), Optional.ofNullable(outcomes.get(status.port())), unitJournal, engine, now))
                    .withEngine(engine)));
        }
        return checked;
    }

    /**
     * Probes every active tunnel, in parallel; one that cannot be probed gets an outcome that says why. A
     * tunnel whose files the probe could not read (missing, not readable, or a FIFO or device, which would
     * never end) is not handed to the probes at all.
     */
    private Map<Integer, ProbeOutcome> probeRunning(List<InstalledTunnel> tunnels, Duration probeTimeout) {
        Map<Integer, ProbeOutcome> outcomes = new HashMap<>();
        Map<String, Path> homes = new HashMap<>();
        List<ForwardProbe.Tunnel> probes = new ArrayList<>();
        for (InstalledTunnel tunnel : tunnels) {
            if (!"active".equals(tunnel.status().state())) {
                continue;
            }
            try {
                ForwardProbe.Tunnel probe = probeTargets.of(tunnel, homes);
                probe.unusableFile().ifPresentOrElse(
                        why -> outcomes.put(tunnel.port(), ForwardProbe.cannotProbe(why, Duration.ZERO)),
                        () -> probes.add(probe));
            } catch (RuntimeException unusable) {
                outcomes.put(tunnel.port(), ForwardProbe.cannotProbe(unusable.getMessage(), Duration.ZERO));
            }
        }
        long probing = System.nanoTime();
        List<ProbeOutcome> probed = probes.isEmpty() ? List.of() : network.probe(probes, probeTimeout);
        LOG.debug("probed {} tunnels in {} ms", probes.size(), (System.nanoTime() - probing) / 1_000_000);
        for (int i = 0; i < probed.size(); i++) {
            outcomes.put(probes.get(i).port(), probed.get(i));
        }
        return outcomes;
    }

    /** What the engines of the active native tunnels say of themselves, by port. */
    private Map<Integer, EngineReport> engineReports(List<InstalledTunnel> tunnels) {
        Map<Integer, EngineReport> reports = new HashMap<>();
        if (engines != null) {
            tunnels.stream().filter(t -> "active".equals(t.status().state()))
                    .forEach(t -> engines.of(t).ifPresent(report -> reports.put(t.port(), report)));
        }
        return reports;
    }

    /**
     * A silent target gives a probe no evidence, but the native engine counts each connection it connected to
     * the target: one more while the probe's connection was open is the probe's, or another that went the same
     * way, and either proves that the bastion's port leads to this engine and on to the target.
     */
    static ProbeOutcome relayed(ProbeOutcome outcome, Optional<EngineReport> before, EngineReport after, String target) {
        if (outcome.result() != ProbeOutcome.Result.NO_EVIDENCE || before.isEmpty() || !after.isUp()
                || after.connectionsTotal() <= before.get().connectionsTotal()) {
            return outcome;
        }
        return new ProbeOutcome(ProbeOutcome.Result.TARGET_ANSWERED, "the native engine connected the tunnelled"
                + " connection to " + Printable.escape(target) + " (connections that reached it: "
                + before.get().connectionsTotal() + " -> " + after.connectionsTotal() + ")", outcome.duration());
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
