package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.StartFailure;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.ServiceManager;
import io.scitex.tunnel.setup.AppliedTunnel.Result;
import io.scitex.tunnel.setup.UnitInstaller.Installed;
import io.scitex.tunnel.ssh.HostKeySource;
import io.scitex.tunnel.ssh.KnownHosts;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.ssh.TrustedHostKeys;
import io.scitex.tunnel.status.HealthCheck;
import io.scitex.tunnel.status.InstalledTunnel;
import io.scitex.tunnel.status.UnitDropIns;
import io.scitex.tunnel.unit.InstalledUnit;
import io.scitex.tunnel.unit.SshConfigWords;
import io.scitex.tunnel.unit.TunnelEndpoints;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitFile;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the machine's tunnels what a tunnels file declares. Every declared tunnel is checked and rendered
 * before anything changes; each is then planned by comparing its rendered unit, pinned host keys and
 * passphrase copy, and its service's state, with what is installed. Only tunnels that differ are written and
 * restarted, all of them with one daemon-reload, one enable and one restart, so that the others keep their
 * process and connections and the systemctl calls do not grow with the number of tunnels. Each written tunnel
 * passes setup's checks first and is verified end to end afterwards; one that fails is put back as it was,
 * and the others go on.
 */
public final class Apply {
    private static final Logger LOG = LoggerFactory.getLogger(Apply.class);
    /** What apply reads of every unit, in one query. */
    private static final List<String> PROPERTIES = List.of("Id", "LoadState", "ActiveState", "SubState",
            "UnitFileState", UnitDropIns.PROPERTY);
    /** The first line of every unit this tool writes ({@code TunnelUnit.render}). */
    private static final String OWN_UNIT = "# Written by scitex-tunnel ";
    private static final Duration POLL = Duration.ofMillis(500);
    /** Tunnels checked at once: below OpenSSH's MaxStartups (10), so that the bastion drops no login. */
    private static final int PARALLEL_CHECKS = 4;

    private final Setup setup;
    private final TunnelKeySetup keys;
    private final Prerequisites prerequisites;
    private final UnitInstaller installer;
    private final UnitDirectory units;
    private final ServiceManager services;
    private final HealthCheck checker;
    private final Clock clock;
    private final RestoreOnShutdown.Hooks hooks;

    public Apply(Setup setup, TunnelKeySetup keys, Prerequisites prerequisites, UnitInstaller installer,
                 UnitDirectory units, ServiceManager services, HealthCheck checker, Clock clock) {
        this(setup, keys, prerequisites, installer, units, services, checker, clock, RestoreOnShutdown.RUNTIME);
    }

    /** @param hooks where the hook that undoes an interrupted apply is registered: the JVM's, or a test's */
    Apply(Setup setup, TunnelKeySetup keys, Prerequisites prerequisites, UnitInstaller installer, UnitDirectory units,
          ServiceManager services, HealthCheck checker, Clock clock, RestoreOnShutdown.Hooks hooks) {
        this.clock = clock;
        this.hooks = hooks;
        this.setup = setup;
        this.keys = keys;
        this.prerequisites = prerequisites;
        this.installer = installer;
        this.units = units;
        this.services = services;
        this.checker = checker;
    }

    /** One declared tunnel, checked, rendered and planned. */
    private record Planned(DeclaredTunnel declared, Optional<PreparedTunnel> prepared, AppliedTunnel outcome,
                           boolean running) {
        int port() {
            return declared.port();
        }
    }

    /** A tunnel whose files were written, and what they replaced. */
    private record Written(Planned planned, Installed installed) {}

    /**
     * See {@link io.scitex.tunnel.ScitexTunnel#apply}. Bad input anywhere in {@code declared} throws
     * {@link InvalidInputException} before anything changes.
     *
     * @param check only plan
     * @param prune remove installed tunnels that {@code declared} does not list
     */
    public ApplyResult run(List<DeclaredTunnel> declared, boolean check, boolean prune) {
        services.requireRunning();
        Map<Integer, Path> installed = installedUnits();
        Map<String, Map<String, String>> shown = show(Stream.concat(installed.keySet().stream(),
                declared.stream().map(DeclaredTunnel::port)).collect(Collectors.toCollection(TreeSet::new)));
        Map<Optional<String>, ServiceUser> users = new HashMap<>();
        List<Planned> planned = new ArrayList<>();
        for (DeclaredTunnel tunnel : declared) {
            ServiceUser user = users.computeIfAbsent(tunnel.user(), name -> at(tunnel, () -> keys.user(name)));
            planned.add(plan(tunnel, user, shown));
        }
        Set<Integer> listed = declared.stream().map(DeclaredTunnel::port).collect(Collectors.toSet());
        SortedMap<Integer, AppliedTunnel> outcomes = new TreeMap<>();
        planned.forEach(p -> outcomes.put(p.port(), p.outcome()));
        List<Integer> removals = new ArrayList<>();
        for (int port : installed.keySet()) {
            if (!listed.contains(port)) {
                TunnelEndpoints endpoints = units.installed(port).endpoints();
                boolean remove = prune;
                outcomes.put(port, new AppliedTunnel(port, remove ? ApplyAction.REMOVE : ApplyAction.UNLISTED,
                        Result.OK, remove ? "not in the file (--prune)" : "not in the file: left as it is (--prune"
                                + " removes it)", endpoints.bastion(), endpoints.target()));
                if (remove) {
                    removals.add(port);
                }
            }
        }
        List<Planned> changes = planned.stream().filter(p -> p.outcome().action().changes()).toList();
        if (check) {
            outcomes.replaceAll((port, o) -> o.action().changes() ? o.ended(Result.PLANNED, o.detail()) : o);
            return new ApplyResult(true, List.copyOf(outcomes.values()));
        }
        if (!changes.isEmpty() || !removals.isEmpty()) {
            converge(changes, removals, shown, outcomes);
        }
        return new ApplyResult(false, List.copyOf(outcomes.values()));
    }

    private void converge(List<Planned> changes, List<Integer> removals, Map<String, Map<String, String>> shown,
                          SortedMap<Integer, AppliedTunnel> outcomes) {
        installer.requireWritable();
        TreeSet<Integer> ports = new TreeSet<>(removals);
        changes.forEach(p -> ports.add(p.port()));
        List<PortLock> locks = new ArrayList<>();
        try {
            for (int port : ports) { // in port order, so that two applies cannot wait for each other
                locks.add(installer.lock(port, PortLocks.Purpose.SETUP));
            }
            try (ApplyGuard guard = ApplyGuard.register(installer, locks, hooks, System.err)) {
                converge(guard, changes, removals, shown, outcomes, locks);
            }
        } finally {
            locks.forEach(PortLock::close);
        }
    }

    private void converge(ApplyGuard guard, List<Planned> changes, List<Integer> removals,
                          Map<String, Map<String, String>> shown, SortedMap<Integer, AppliedTunnel> outcomes,
                          List<PortLock> locks) {
        List<Written> written = checkAndWrite(guard, changes, outcomes);
        List<PortLock> removing = locks.stream().filter(lock -> removals.contains(lock.port())).toList();
        try {
            List<RemoveResult> results = new ArrayList<>();
            guard.step(() -> results.addAll(installer.removeAll(removing, shown)));
            for (RemoveResult removed : results) {
                AppliedTunnel outcome = outcomes.get(removed.port());
                outcomes.put(removed.port(), outcome.ended(Result.OK, "removed" + (removed.warnings().isEmpty() ? ""
                        : "; " + String.join("; ", removed.warnings()))));
            }
        } catch (IOException e) {
            removals.forEach(port -> outcomes.put(port, outcomes.get(port).ended(Result.FAILED, "removing failed: "
                    + e.getMessage())));
        }
        start(guard, written, outcomes);
        verify(guard, written, outcomes);
        guard.done();
    }

    /**
     * Setup's checks and then the files of every change, a few tunnels at a time (the checks wait on the
     * bastion; its sshd takes a few logins at once); a tunnel that fails a check is failed, with nothing written.
     */
    private List<Written> checkAndWrite(ApplyGuard guard, List<Planned> changes,
                                        SortedMap<Integer, AppliedTunnel> outcomes) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL_CHECKS, changes.size())),
                runnable -> {
                    Thread thread = new Thread(runnable, "scitex-tunnel-apply");
                    thread.setDaemon(true);
                    return thread;
                });
        List<Written> written = new ArrayList<>();
        try {
            List<Future<Installed>> writes = changes.stream().map(change -> pool.submit(() -> write(guard, change))).toList();
            for (int i = 0; i < changes.size(); i++) {
                Planned change = changes.get(i);
                try {
                    written.add(new Written(change, writes.get(i).get()));
                } catch (ExecutionException e) {
                    Throwable failure = e.getCause();
                    String message = failure instanceof TunnelException || failure instanceof InvalidInputException
                            ? failure.getMessage() : "unexpected error: " + failure;
                    outcomes.put(change.port(), change.outcome().ended(Result.FAILED, message));
                }
            }
            return written;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            written.forEach(w -> guard.restore(w.installed()));
            throw new TunnelException("interrupted: put back the tunnels written so far", e);
        } finally {
            pool.shutdown();
        }
    }

    /** Setup's checks for one tunnel, then its files written; throws, having written nothing, if one fails. */
    private Installed write(ApplyGuard guard, Planned change) {
        PreparedTunnel tunnel = change.prepared().orElseThrow();
        SetupRequest request = tunnel.request();
        int port = tunnel.spec().port();
        prerequisites.require(request.engine(), request.acceptNew() && request.networkChecks());
        installer.requireWritable(port, request.force());
        installer.requireReachableBy(keys.asUser(tunnel.user()));
        setup.ensureLinger(tunnel.user());
        Preflight preflight = new Preflight(done -> LOG.debug("port {}: {} {}: {}", port, done.name(), done.outcome(),
                done.detail()));
        Optional<TrustedHostKeys> declaredKeys = change.declared().hostKeys().isEmpty() ? Optional.empty()
                : Optional.of(new TrustedHostKeys(change.declared().hostKeys(), HostKeySource.KNOWN_HOSTS,
                        change.declared().origin()));
        TrustedHostKeys trusted = setup.checkBastion(preflight, tunnel, declaredKeys, Optional.of(change.running()));
        String pins = trusted.knownHostsFile(tunnel.spec().bastion().knownHostsName());
        return guard.write(() -> installer.write(port, tunnel.unit(), pins, tunnel.passphraseCopy()));
    }

    /** One daemon-reload for the whole run, then one enable and one restart for every tunnel written. */
    private void start(ApplyGuard guard, List<Written> written, SortedMap<Integer, AppliedTunnel> outcomes) {
        List<String> names = written.stream().map(w -> UnitName.of(w.planned().port())).toList();
        try {
            guard.step(() -> {
                services.daemonReload();
                services.enable(names);
                services.restart(names);
            });
        } catch (IOException e) {
            for (Written w : written) {
                guard.restore(w.installed());
                outcomes.put(w.planned().port(), w.planned().outcome().ended(Result.FAILED,
                        "systemd could not start it, so it was put back as it was: " + e.getMessage()));
            }
            written.clear();
        }
    }

    /**
     * Waits until every started tunnel works end to end (one service query and one journal read per round,
     * for all of them), each within its own bound; one that does not is failed, and removed again or put back if
     * it asks for --rollback. One whose service systemd says cannot start, in this start, is failed at once.
     */
    private void verify(ApplyGuard guard, List<Written> written, SortedMap<Integer, AppliedTunnel> outcomes) {
        // The restarts have returned: from now on, the journal's lines are those of this apply's starts.
        Instant starting = clock.instant();
        Map<Integer, Written> pending = new LinkedHashMap<>();
        Map<Integer, Long> deadlines = new HashMap<>();
        long now = System.nanoTime();
        for (Written w : written) {
            SetupRequest request = w.planned().declared().request();
            pending.put(w.planned().port(), w);
            deadlines.put(w.planned().port(), now + (request.networkChecks() ? request.verifyWithin().toNanos() : 0));
        }
        while (!pending.isEmpty()) {
            Map<Integer, TunnelStatus> statuses = new HashMap<>();
            boolean probe = pending.values().stream().anyMatch(w -> w.planned().declared().request().networkChecks());
            for (InstalledTunnel tunnel : probe ? checker.of(pending.keySet(), HealthCheck.DEFAULT_PROBE_TIMEOUT)
                    : List.<InstalledTunnel>of()) {
                statuses.put(tunnel.port(), tunnel.status());
            }
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                int port = entry.getKey();
                Written w = entry.getValue();
                SetupRequest request = w.planned().declared().request();
                TunnelStatus status = statuses.get(port);
                Optional<StartFailure> cannotStart = Optional.ofNullable(status)
                        .flatMap(s -> s.health().startFailureSince(starting));
                if (!request.networkChecks()) {
                    outcomes.put(port, w.planned().outcome().ended(Result.OK, "started (check = false: not waited for"
                            + " it to work end to end)"));
                    it.remove();
                } else if (status != null && status.isUp()) {
                    outcomes.put(port, w.planned().outcome().ended(Result.OK, "localhost:" + port
                            + " on the bastion works: " + status.health().detail()));
                    it.remove();
                } else if (cannotStart.isPresent()) {
                    outcomes.put(port, w.planned().outcome().ended(Result.FAILED, "its service cannot start: "
                            + cannotStart.get().describe() + afterFailure(guard, w)));
                    it.remove();
                } else if (System.nanoTime() >= deadlines.get(port)) {
                    outcomes.put(port, w.planned().outcome().ended(Result.FAILED, notUp(guard, w, status)));
                    it.remove();
                }
            }
            if (!pending.isEmpty()) {
                sleep();
            }
        }
    }

    private String notUp(ApplyGuard guard, Written w, TunnelStatus status) {
        SetupRequest request = w.planned().declared().request();
        String why = status == null ? "its unit is gone" : status.health().detail() + status.health().lastError()
                .filter(error -> !status.health().detail().contains(error.message()))
                .map(error -> " (journal: " + error.message() + ")").orElse("");
        return "did not come up within " + request.verifyWithin().toSeconds() + " s: " + why + afterFailure(guard, w);
    }

    /** Rolls a failed tunnel back if it asks, and says what became of it. */
    private static String afterFailure(ApplyGuard guard, Written w) {
        if (w.planned().declared().request().rollback()) {
            guard.restore(w.installed());
            return w.installed().replaced() ? "; put the previous tunnel back (rollback = true)"
                    : "; removed it again (rollback = true)";
        }
        return "; the unit stays for `scitex-tunnel status` and `scitex-tunnel logs -p " + w.planned().port()
                + "` (rollback = true removes it instead)";
    }

    /** Checks and renders one declared tunnel, and decides what to do with it. */
    private Planned plan(DeclaredTunnel tunnel, ServiceUser user, Map<String, Map<String, String>> shown) {
        int port = tunnel.port();
        Map<String, String> state = shown.getOrDefault(UnitName.of(port), Map.of());
        boolean running = isRunning(state);
        Optional<String> unit = at(tunnel, () -> readUnit(port));
        boolean masked = units.isMasked(port);
        boolean foreign = !masked && unit.isPresent() && !unit.get().startsWith(OWN_UNIT);
        if (foreign && running && sameAsForeign(tunnel, user, unit.get())) {
            // Adopting a machine: a unit another tool (the Python scitex-tunnel) wrote stays as it is while the
            // file says what it does; changing the tunnel in the file rewrites it as this tool writes units.
            return new Planned(tunnel, Optional.empty(), outcome(tunnel, ApplyAction.UNCHANGED,
                    "as declared (written by another tool, left as it is)"), true);
        }
        PreparedTunnel unprobed = at(tunnel, () -> setup.prepare(tunnel.request(), user));
        PreparedTunnel prepared = setup.probedAs(unprobed, probeKind(tunnel, unprobed, unit.filter(text -> !foreign)));
        String difference = masked ? "its unit is masked"
                : unit.isEmpty() ? "not installed"
                : foreign ? "written by another tool, and not as declared"
                : difference(tunnel, prepared, unit.get(), state, running);
        ApplyAction action = unit.isEmpty() && !masked ? ApplyAction.CREATE
                : difference.isEmpty() ? ApplyAction.UNCHANGED : ApplyAction.REPLACE;
        return new Planned(tunnel, Optional.of(prepared), outcome(tunnel, action,
                difference.isEmpty() ? "as declared, and running" : difference), running);
    }

    /**
     * How the tunnel's target is probed: as declared; else as the installed unit of this tool says, when it
     * records a kind for the same target (so that a re-apply finds nothing to change while the target is
     * down); else as the target answers now, found out as setup does.
     */
    private ProbeKind probeKind(DeclaredTunnel tunnel, PreparedTunnel prepared, Optional<String> ownUnit) {
        if (tunnel.request().probe().isPresent()) {
            return tunnel.request().probe().get();
        }
        return ownUnit.filter(text -> UnitFile.parse(text).value("Unit", TunnelUnit.PROBE_KEY).isPresent())
                .map(InstalledUnit::parse)
                .filter(installed -> installed.endpoints().target().equals(Optional.of(prepared.spec().target().toString())))
                .map(InstalledUnit::probe)
                .orElseGet(() -> setup.detectProbe(prepared.spec().target()).kind());
    }

    /** What differs between a unit this tool wrote and the declared tunnel; empty when nothing does. */
    private String difference(DeclaredTunnel tunnel, PreparedTunnel prepared, String unit, Map<String, String> state,
                              boolean running) {
        int port = tunnel.port();
        if (!withoutComments(unit).equals(withoutComments(prepared.unit()))) {
            return "its unit differs";
        }
        String name = prepared.spec().bastion().knownHostsName();
        List<SshPublicKey> pinned = at(tunnel, () -> readIfPresent(prepared.knownHosts()))
                .map(text -> KnownHosts.parse(text).keysFor(name)).orElse(List.of());
        if (!tunnel.hostKeys().isEmpty() && !Set.copyOf(pinned).equals(Set.copyOf(tunnel.hostKeys()))) {
            return "its pinned host keys differ from host_keys";
        }
        if (pinned.isEmpty()) {
            return "no host key of " + name + " is pinned";
        }
        if (!at(tunnel, () -> readIfPresent(installer.passphraseFile(port))).equals(prepared.passphraseCopy())) {
            return "its passphrase copy differs";
        }
        if (!running) {
            return "its service is " + state.getOrDefault("ActiveState", "unknown") + " ("
                    + state.getOrDefault("SubState", "unknown") + ")";
        }
        String enabled = state.getOrDefault("UnitFileState", "enabled");
        if (!enabled.equals("enabled")) {
            return "its service is " + enabled + ", not enabled";
        }
        return "";
    }

    /**
     * Whether a unit another tool wrote runs the declared tunnel: autossh, as the same user, to the same bastion
     * and target, with the same key, trusting the user's known_hosts (no host_keys declared).
     */
    private static boolean sameAsForeign(DeclaredTunnel tunnel, ServiceUser user, String text) {
        SetupRequest request = tunnel.request();
        if (request.engine() != Engine.AUTOSSH || !tunnel.hostKeys().isEmpty() || request.passphraseFile().isPresent()) {
            return false;
        }
        try {
            InstalledUnit unit = InstalledUnit.parse(text);
            TunnelEndpoints endpoints = unit.endpoints();
            Optional<Path> key = endpoints.identityFile()
                    .map(file -> SshConfigWords.expandPath(file, user.home(), user.name()).toAbsolutePath().normalize());
            Optional<Path> declaredKey = Optional.ofNullable(request.key()).filter(k -> !k.isBlank())
                    .map(k -> user.expand(k).toAbsolutePath().normalize());
            return unit.serviceUser().equals(user.name())
                    && endpoints.bastion().map(b -> BastionAddress.parse(b).toString())
                            .equals(Optional.of(BastionAddress.parse(request.bastion()).toString()))
                    && endpoints.target().map(t -> TargetAddress.parse(t).toString())
                            .equals(Optional.of(request.target().map(t -> TargetAddress.parse(t).toString())
                                    .orElse(TargetAddress.LOCAL_SSHD.toString())))
                    && key.equals(declaredKey);
        } catch (RuntimeException unreadable) {
            LOG.debug("cannot compare the unit on port {}: {}", tunnel.port(), unreadable.getMessage());
            return false;
        }
    }

    private static AppliedTunnel outcome(DeclaredTunnel tunnel, ApplyAction action, String detail) {
        SetupRequest request = tunnel.request();
        return new AppliedTunnel(tunnel.port(), action, Result.OK, detail, Optional.of(request.bastion()),
                Optional.of(request.target().orElse(TargetAddress.LOCAL_SSHD.toString())));
    }

    private static boolean isRunning(Map<String, String> state) {
        return Objects.equals(state.get("ActiveState"), "active");
    }

    /** A unit's settings without its comments: the header names the version that wrote it, which is no change. */
    private static String withoutComments(String unit) {
        return unit.lines().filter(line -> !line.startsWith("#")).collect(Collectors.joining("\n"));
    }

    private Optional<String> readUnit(int port) throws IOException {
        return units.isMasked(port) ? Optional.empty() : units.read(port);
    }

    private static Optional<String> readIfPresent(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    }

    private Map<Integer, Path> installedUnits() {
        try {
            return units.list();
        } catch (IOException e) {
            throw new TunnelException("cannot list the tunnel units in " + units.directory() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Map<String, String>> show(Set<Integer> ports) {
        try {
            return services.show(ports.stream().map(UnitName::of).toList(), PROPERTIES);
        } catch (IOException e) {
            throw new TunnelException(e.getMessage(), e);
        }
    }

    /** A step for one declared tunnel; what it rejects names where the tunnel was declared. */
    private static <T> T at(DeclaredTunnel tunnel, IoStep<T> step) {
        String where = tunnel.origin() + ": tunnel on port " + tunnel.port() + ": ";
        try {
            return step.get();
        } catch (InvalidInputException invalid) {
            throw new InvalidInputException(where + invalid.getMessage());
        } catch (TunnelException failed) {
            throw new TunnelException(where + failed.getMessage(), failed);
        } catch (IOException e) {
            throw new TunnelException(where + e.getMessage(), e);
        }
    }

    private interface IoStep<T> {
        T get() throws IOException;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunnelException("interrupted while waiting for the tunnels to come up", e);
        }
    }
}
