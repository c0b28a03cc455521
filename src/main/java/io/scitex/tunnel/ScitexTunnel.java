package io.scitex.tunnel;

import io.scitex.tunnel.engine.AutosshCommand;
import io.scitex.tunnel.engine.SshConfigWords;
import io.scitex.tunnel.engine.NativeCommand;
import io.scitex.tunnel.engine.TunnelEndpoints;
import io.scitex.tunnel.host.AtomicFile;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.Availability;
import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.Prerequisite;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelJournal;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.Journal;
import io.scitex.tunnel.service.Systemctl;
import io.scitex.tunnel.service.TunnelUnit;
import io.scitex.tunnel.service.UnitProgram;
import io.scitex.tunnel.service.UnitDirectory;
import io.scitex.tunnel.service.UnitFile;
import io.scitex.tunnel.service.UnitName;
import io.scitex.tunnel.ssh.ForwardProbe;
import io.scitex.tunnel.ssh.HostKeyScanner;
import io.scitex.tunnel.ssh.HostKeyTrust;
import io.scitex.tunnel.ssh.KeyPairs;
import io.scitex.tunnel.ssh.PrivateKeyCheck;
import io.scitex.tunnel.ssh.TrustedHostKeys;
import io.scitex.tunnel.ssh.BastionReachability;
import io.scitex.tunnel.ssh.BastionSession;
import io.scitex.tunnel.ssh.KeyPairs;
import io.scitex.tunnel.ssh.TunnelKeys;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up, lists and removes persistent reverse tunnels, each a systemd service
 * ({@code autossh-tunnel-PORT.service}) that keeps autossh, or this tool's native engine, running. Bad input throws
 * {@link InvalidInputException}; an operation this machine cannot carry out throws {@link TunnelException}.
 * Both carry a one-line message meant for the user, and neither leaves anything half-written.
 */
public final class ScitexTunnel {
    private static final Logger LOG = LoggerFactory.getLogger(ScitexTunnel.class);
    private static final Prerequisite SYSTEMD = new Prerequisite("systemd",
            "tunnels run as systemd services, and systemd is not running here: use a machine booted with systemd");
    private static final Prerequisite AUTOSSH = new Prerequisite("autossh",
            "install autossh: sudo apt install autossh (Debian/Ubuntu), sudo dnf install autossh (Fedora)");
    private static final Prerequisite SSH = new Prerequisite("ssh",
            "install the OpenSSH client: sudo apt install openssh-client (Debian/Ubuntu), sudo dnf install openssh-clients (Fedora)");

    /** The default time each end-to-end probe may take. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How far back {@link #check} reads the journal. autossh retries a failing ssh at least every
     * AUTOSSH_POLL (10 s), so a failing tunnel always has recent lines; a connection attempt older than this
     * that reported nothing has long been up.
     */
    static final Duration JOURNAL_WINDOW = Duration.ofMinutes(15);

    private final SystemLayout layout;
    private final Programs programs;
    private final Users users;
    private final Systemctl systemctl;
    private final Journal journal;
    private final UnitDirectory units;
    private final CommandRunner runner;
    private final String version;
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(10);

    public ScitexTunnel(SystemLayout layout, CommandRunner runner, Programs programs, Map<String, String> environment) {
        this.layout = layout;
        this.runner = runner;
        this.programs = programs;
        this.users = new Users(runner, environment);
        this.systemctl = new Systemctl(runner);
        this.journal = new Journal(runner);
        this.units = new UnitDirectory(layout.unitDirectory());
        this.version = Version.current();
    }

    /** The tool as installed on this machine: {@code /etc/systemd/system}, PATH and environment of this process. */
    public static ScitexTunnel system() {
        return new ScitexTunnel(SystemLayout.DEFAULT, new CommandRunner(), new Programs(), System.getenv());
    }

    /** What this machine lacks to run autossh tunnels (systemd, autossh, ssh); empty when it has everything. */
    public Availability available() {
        return available(Engine.AUTOSSH);
    }

    /**
     * What this machine lacks to run tunnels on {@code engine}: systemd always; autossh and the OpenSSH client
     * for autossh (the native engine needs neither). Empty when it has everything.
     */
    public Availability available(Engine engine) {
        List<Prerequisite> missing = new ArrayList<>();
        if (!Systemctl.isSystemdRunning() || programs.find("systemctl").isEmpty()) {
            missing.add(SYSTEMD);
        }
        if (engine == Engine.AUTOSSH && programs.find("autossh").isEmpty()) {
            missing.add(AUTOSSH);
        }
        if (engine == Engine.AUTOSSH && (programs.find("ssh").isEmpty() || programs.find("ssh-keyscan").isEmpty())) {
            missing.add(SSH);
        }
        return new Availability(missing);
    }

    /** The seed's {@code setup(port, bastion, key)}: a tunnel to this machine's sshd. */
    public SetupResult setup(int port, String bastion, String key) {
        return setup(SetupRequest.of(port, bastion, key));
    }

    /** Installs and starts the tunnel, without reporting the checks as they run. */
    public SetupResult setup(SetupRequest request) {
        return setup(request, check -> { });
    }

    /**
     * Installs and starts the tunnel, replacing one on the same port. Everything is checked before
     * anything is written, each check reported to {@code progress} as it ends; if a later step fails, the
     * previous state is restored.
     */
    public SetupResult setup(SetupRequest request, Consumer<PreflightCheck> progress) {
        TunnelPort.check(request.port());
        BastionAddress bastion = BastionAddress.parse(request.bastion());
        TargetAddress target = request.target().map(TargetAddress::parse).orElse(TargetAddress.LOCAL_SSHD);
        Engine engine = request.engine();
        if (request.passphraseFile().isPresent() && engine != Engine.NATIVE) {
            throw new InvalidInputException("--passphrase-file needs --engine native: autossh's ssh cannot read a"
                    + " passphrase from a file");
        }
        ServiceUser user = invokingUser();
        Path key = keyPath(user, request.port(), Optional.ofNullable(request.key()));
        if ((request.key() == null || request.key().isBlank()) && !Files.exists(key)) {
            throw new InvalidInputException("key is missing: give -s KEY or set SCITEX_TUNNEL_SECRET_KEY_PATH,"
                    + " or create a dedicated one with `scitex-tunnel keygen -p " + request.port() + "`");
        }
        TunnelSpec spec = TunnelSpec.builder().port(request.port()).bastion(bastion).target(target)
                .key(key).serviceUser(user.name()).build();
        Optional<Path> passphrase = request.passphraseFile().filter(p -> !p.isBlank())
                .map(p -> user.expand(p).toAbsolutePath().normalize());
        // Bad input is a usage error, found before any check is reported.
        PrivateKeyCheck.check(spec.key(), user, passphrase.isPresent());
        passphrase.ifPresent(file -> checkPassphrase(spec.key(), file));
        Path knownHosts = layout.knownHosts(spec.port());
        UnitProgram program = engine == Engine.NATIVE
                ? nativeProgram(spec, knownHosts, passphrase)
                : UnitProgram.autossh(AutosshCommand.argv(programs.find("autossh").orElse(Path.of("/usr/bin/autossh")),
                        spec, knownHosts), AutosshCommand.ENVIRONMENT);

        Preflight preflight = new Preflight(progress);
        preflight.check("key", () -> spec.key() + ": a private key " + (passphrase.isPresent()
                ? "with its passphrase in " + passphrase.get() : "without passphrase") + ", mode 600, owned by " + user.name());
        preflight.check("programs", () -> {
            requireAvailable(engine, request.acceptNew() && request.networkChecks());
            return engine == Engine.NATIVE ? "systemd is running; the native engine needs nothing else"
                    : "systemd, autossh and ssh are installed";
        });
        preflight.check("permission", () -> {
            requireWritableUnitDirectory();
            return "may write units to " + units.directory();
        });
        if (request.networkChecks()) {
            preflight.check("bastion", () -> BastionReachability.check(bastion, NETWORK_TIMEOUT));
        }
        TrustedHostKeys trusted = preflight.check("host key", () -> hostKeyTrust(user)
                .resolve(bastion, knownHosts, request.acceptNew() && request.networkChecks()), ScitexTunnel::describe);
        if (request.networkChecks()) {
            checkLoginAndPort(preflight, spec, user, trusted, passphrase);
        } else {
            preflight.skip("network", "--no-check: not checked whether the bastion is reachable, accepts the key"
                    + " and has port " + spec.port() + " free");
        }
        String unit = TunnelUnit.render(spec, program, version);
        Installed installed = install(spec.port(), unit, trusted.knownHostsFile(bastion.knownHostsName()));
        TunnelStatus status = status(spec.port());
        if (request.networkChecks()) {
            status = preflight.check("tunnel", () -> awaitUp(spec, request, installed),
                    up -> "localhost:" + spec.port() + " on the bastion reaches " + spec.target() + ": "
                            + up.health().detail());
        } else {
            preflight.skip("tunnel", "--no-check: not waited for the tunnel to work end to end");
        }
        return new SetupResult(spec, units.path(spec.port()), installed.replaced(), trusted, preflight.done(), status,
                engine);
    }

    /**
     * Waits until the started tunnel works end to end. If it does not within the request's bound, the
     * unit stays for {@code status} and {@code logs}, unless the request asks to roll back.
     */
    private TunnelStatus awaitUp(TunnelSpec spec, SetupRequest request, Installed installed) {
        long deadline = System.nanoTime() + request.verifyWithin().toNanos();
        while (true) {
            TunnelStatus checked = check(spec.port(), DEFAULT_PROBE_TIMEOUT);
            if (checked.isUp()) {
                return checked;
            }
            if (System.nanoTime() >= deadline) {
                String why = checked.health().detail() + checked.health().lastError()
                        .filter(error -> !checked.health().detail().contains(error.message()))
                        .map(error -> " (journal: " + error.message() + ")").orElse("");
                String after;
                if (request.rollback()) {
                    restore(installed);
                    after = "; removed it again (--rollback)";
                } else {
                    after = "; the unit stays for `scitex-tunnel status` and `scitex-tunnel logs -p " + spec.port()
                            + "` (--rollback removes it instead)";
                }
                throw new TunnelException("the tunnel did not come up within " + request.verifyWithin().toSeconds()
                        + " s: " + why + after);
            }
            sleepQuietly(Duration.ofMillis(500));
        }
    }

    private static void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunnelException("interrupted while waiting for the tunnel to come up", e);
        }
    }

    /** Logs in as the tunnel will (its key, the keys about to be pinned) and asks for the tunnel's port. */
    private void checkLoginAndPort(Preflight preflight, TunnelSpec spec, ServiceUser user, TrustedHostKeys hostKeys,
                                   Optional<Path> passphrase) {
        String login = spec.bastion().user().orElse(user.name());
        Path pins = null;
        try {
            pins = Files.createTempFile("scitex-tunnel-pins-", "");
            Files.writeString(pins, hostKeys.knownHostsFile(spec.bastion().knownHostsName()));
            Path pinFile = pins;
            try (BastionSession session = preflight.check("login",
                    () -> BastionSession.open(spec.bastion(), login, KeyPairs.loadForTunnel(spec.key(), passphrase),
                            pinFile, NETWORK_TIMEOUT),
                    opened -> login + "@" + spec.bastion().knownHostsName() + " accepts the key")) {
                if (tunnelIsRunning(spec.port())) {
                    preflight.skip("port", "port " + spec.port() + " is held by the tunnel being replaced");
                    return;
                }
                preflight.check("port", () -> {
                    if (!canListen(session, spec.port())) {
                        throw new TunnelException("port " + spec.port() + " is taken on the bastion (by another"
                                + " program, or by a dead session it has not dropped yet): choose another port, or"
                                + " free it on the bastion");
                    }
                    return "port " + spec.port() + " is free on the bastion's loopback";
                });
            }
        } catch (IOException e) {
            throw new TunnelException("cannot check the bastion: " + e.getMessage(), e);
        } finally {
            deleteQuietly(pins);
        }
    }

    private static boolean canListen(BastionSession session, int port) {
        try {
            return session.canListenOn(port);
        } catch (IOException e) {
            throw new TunnelException("cannot ask the bastion for port " + port + ": " + e.getMessage(), e);
        }
    }

    private boolean tunnelIsRunning(int port) {
        return Files.exists(units.path(port)) && status().stream()
                .anyMatch(s -> s.port() == port && s.isUp());
    }

    private static String describe(TrustedHostKeys keys) {
        String fingerprints = keys.keys().stream().map(k -> k.type() + " " + k.fingerprint())
                .collect(java.util.stream.Collectors.joining(", "));
        return switch (keys.source()) {
            case PINNED -> fingerprints + " (pinned earlier)";
            case KNOWN_HOSTS -> fingerprints + " (from " + keys.origin() + ")";
            case FETCHED -> fingerprints + " (fetched now and pinned: trust on first use)";
        };
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover temporary file holds only public keys
        }
    }

    /**
     * The native engine's unit runs this installation's launcher with the JDK running now, both resolved
     * here: a service has its own PATH, and the sandbox must be told what to let it read.
     */
    private UnitProgram nativeProgram(TunnelSpec spec, Path knownHosts, Optional<Path> passphrase) {
        ToolInstallation tool = ToolInstallation.locate(programs).orElseThrow(() -> new TunnelException(
                "the native engine runs through the scitex-tunnel launcher, and none was found: run setup with"
                        + " bin/scitex-tunnel, or put it on PATH (sudo ln -s /PATH/TO/bin/scitex-tunnel /usr/local/bin/)"));
        return new UnitProgram(Engine.NATIVE, NativeCommand.argv(tool.launcher(), spec, knownHosts),
                NativeCommand.environment(tool.java()), List.of(tool.directory(), tool.javaHome()), passphrase);
    }

    /**
     * The passphrase file must be private (as a key is), must belong to a key that has a passphrase, and
     * must decrypt it: the service finds out no earlier than at its first start otherwise.
     */
    private static void checkPassphrase(Path key, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("passphrase file " + file + " does not exist");
        }
        try {
            if (Files.getPosixFilePermissions(file).stream().anyMatch(p -> !p.name().startsWith("OWNER"))) {
                throw new InvalidInputException("passphrase file " + file + " is accessible by group or others:"
                        + " chmod 600 " + file);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the permissions of " + file + ": " + e.getMessage());
        }
        if (!PrivateKeyCheck.isPassphraseProtected(key)) {
            throw new InvalidInputException("key " + key + " has no passphrase: leave out --passphrase-file");
        }
        KeyPairs.loadForTunnel(key, Optional.of(file));
    }

    /**
     * Creates a dedicated ed25519 key for the tunnel on {@code port} (default path
     * {@code ~/.ssh/scitex-tunnel-PORT_ed25519} of the service user), owned by that user, mode 0600; an
     * existing key is replaced only with {@code force}.
     */
    public KeygenResult keygen(int port, Optional<String> key, boolean force) {
        TunnelPort.check(port);
        ServiceUser user = invokingUser();
        Path path = keyPath(user, port, key);
        var publicKey = tunnelKeys().generate(path, user, keyComment(port), force);
        return new KeygenResult(path, user.name(), new AuthorizedKeyLine(port, publicKey, keyComment(port)));
    }

    /** The bastion's authorized_keys line that lets the key hold {@code port} and nothing else. */
    public AuthorizedKeyLine authorize(int port, Optional<String> key) {
        TunnelPort.check(port);
        Path path = keyPath(invokingUser(), port, key);
        return new AuthorizedKeyLine(port, tunnelKeys().publicKeyOf(path), keyComment(port));
    }

    /**
     * Every tunnel unit on this machine, read with a single {@code systemctl show}: systemd's view only, so
     * an active service counts as up. {@link #check} also probes each tunnel end to end.
     */
    public List<TunnelStatus> status() {
        SortedMap<Integer, Path> files = listUnits();
        if (files.isEmpty()) {
            return List.of();
        }
        requireSystemd();
        List<String> names = files.keySet().stream().map(UnitName::of).toList();
        Map<String, Map<String, String>> shown;
        try {
            shown = systemctl.show(names, Systemctl.STATUS_PROPERTIES);
        } catch (IOException e) {
            throw new TunnelException(e.getMessage(), e);
        }
        Instant now = Instant.now();
        return files.entrySet().stream()
                .map(e -> toStatus(e.getKey(), e.getValue(), shown.getOrDefault(UnitName.of(e.getKey()), Map.of()), now))
                .toList();
    }

    /** The tunnel on {@code port}; {@link NoSuchTunnelException} if there is none. */
    public TunnelStatus status(int port) {
        TunnelPort.check(port);
        return status().stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new NoSuchTunnelException(port));
    }

    /**
     * Every tunnel, checked end to end: what systemd says, a probe through each running tunnel's forward
     * (in parallel, each within {@code probeTimeout}) and then the journal's newest problems (one
     * {@code journalctl} for all units).
     */
    public List<TunnelStatus> check(Duration probeTimeout) {
        return check(status(), probeTimeout);
    }

    /** The tunnel on {@code port}, checked end to end; {@link NoSuchTunnelException} if there is none. */
    public TunnelStatus check(int port, Duration probeTimeout) {
        return check(List.of(status(port)), probeTimeout).get(0);
    }

    private List<TunnelStatus> check(List<TunnelStatus> tunnels, Duration probeTimeout) {
        if (tunnels.isEmpty()) {
            return tunnels;
        }
        Instant now = Instant.now();
        List<TunnelStatus> running = tunnels.stream().filter(t -> "active".equals(t.state())).toList();
        Map<String, String> homes = new HashMap<>();
        List<ProbeOutcome> outcomes = new ArrayList<>();
        List<ForwardProbe.Tunnel> probes = new ArrayList<>();
        List<Integer> probeSlots = new ArrayList<>();
        for (TunnelStatus tunnel : running) {
            try {
                probes.add(probeTarget(tunnel, homes));
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

    /**
     * Diagnoses every tunnel (or the one on {@code port}): the end-to-end check of {@link #check}, plus the
     * tunnel's key checked as ssh checks it, the bastion's reachability, and the unit's sandbox; each finding
     * comes with its fix, including advice only the bastion's admin can apply.
     */
    public List<Diagnosis> doctor(Optional<Integer> port, Duration probeTimeout) {
        List<TunnelStatus> checked = port.map(p -> List.of(check(p, probeTimeout))).orElseGet(() -> check(probeTimeout));
        return checked.stream().map(this::diagnose).toList();
    }

    private Diagnosis diagnose(TunnelStatus status) {
        UnitFacts unit = readUnit(units.path(status.port()));
        Optional<String> keyProblem = Optional.empty();
        boolean keyChecked = true;
        Optional<String> bastionProblem = Optional.empty();
        try {
            ForwardProbe.Tunnel tunnel = probeTarget(status, new HashMap<>());
            if (Files.exists(tunnel.key()) && !Files.isReadable(tunnel.key())) {
                keyChecked = false;
            } else {
                keyProblem = problemOf(() -> PrivateKeyCheck.check(tunnel.key(), lookupUser(unit.user().orElse("root"))));
            }
            bastionProblem = problemOf(() -> BastionReachability.check(tunnel.bastion(), NETWORK_TIMEOUT));
        } catch (TunnelException unusable) {
            keyProblem = Optional.of(unusable.getMessage());
        }
        return Diagnosis.of(status, new Diagnosis.Facts(keyProblem, keyChecked, bastionProblem, unit.hardened(),
                unit.remoteBind()));
    }

    /** The message of the problem {@code check} reports by throwing, if it does. */
    private static Optional<String> problemOf(Runnable check) {
        try {
            check.run();
            return Optional.empty();
        } catch (InvalidInputException | TunnelException problem) {
            return Optional.of(problem.getMessage());
        }
    }

    private ServiceUser lookupUser(String name) {
        try {
            return users.lookup(name);
        } catch (IOException e) {
            throw new TunnelException("cannot look up the service user " + name + ": " + e.getMessage());
        }
    }

    /**
     * Streams the journal of the tunnel on {@code port} to {@code sink}: the last {@code lines} lines, then,
     * with {@code follow}, new ones as they come until journalctl ends (Ctrl-C ends both).
     */
    public void logs(int port, int lines, boolean follow, Consumer<JournalEvent> sink) {
        TunnelPort.check(port);
        if (!Files.exists(units.path(port))) {
            throw new NoSuchTunnelException(port);
        }
        try {
            int exit = journal.stream(UnitName.of(port), lines, follow, sink);
            if (exit != 0) {
                throw new TunnelException("journalctl exited with " + exit);
            }
        } catch (IOException e) {
            throw new TunnelException("cannot read the journal of " + UnitName.of(port) + ": " + e.getMessage(), e);
        }
    }

    private Optional<Map<String, List<JournalEvent>>> readJournal(List<String> names, Instant since) {
        try {
            return journal.read(names, since);
        } catch (IOException e) {
            LOG.debug("cannot read the journal: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** What to probe for a tunnel, read from its unit; a RuntimeException says why it cannot be probed. */
    private ForwardProbe.Tunnel probeTarget(TunnelStatus tunnel, Map<String, String> homes) {
        UnitFacts facts = readUnit(units.path(tunnel.port()));
        TunnelEndpoints endpoints = facts.endpoints();
        BastionAddress bastion;
        try {
            bastion = BastionAddress.parse(endpoints.bastion()
                    .orElseThrow(() -> new TunnelException("the unit names no bastion")));
        } catch (InvalidInputException e) {
            throw new TunnelException("cannot read the bastion from the unit: " + e.getMessage());
        }
        String serviceUser = facts.user().orElse("root");
        Path home = Path.of(homes.computeIfAbsent(serviceUser, this::homeOf));
        String key = endpoints.identityFile().orElseThrow(() -> new TunnelException(
                "the unit names no key (-i KEY or -o IdentityFile=KEY), so there is none to probe with"));
        Path knownHosts = endpoints.knownHostsFiles().stream()
                .map(file -> SshConfigWords.expandPath(file, home, serviceUser))
                .filter(Files::exists).findFirst()
                .orElseGet(() -> defaultKnownHosts(home));
        Optional<TargetAddress> target = tunnel.target().flatMap(ScitexTunnel::targetAddress);
        return new ForwardProbe.Tunnel(tunnel.port(), bastion, bastion.user().orElse(serviceUser),
                SshConfigWords.expandPath(key, home, serviceUser), knownHosts, target, facts.passphrase());
    }

    /** ssh's defaults when a unit names no known_hosts file: the user's own, else the system-wide one. */
    private static Path defaultKnownHosts(Path home) {
        Path own = home.resolve(".ssh/known_hosts");
        Path system = Path.of("/etc/ssh/ssh_known_hosts");
        return Files.exists(own) || !Files.exists(system) ? own : system;
    }

    private String homeOf(String user) {
        try {
            return users.lookup(user).home().toString();
        } catch (IOException e) {
            throw new TunnelException("cannot look up the service user " + user + ": " + e.getMessage());
        }
    }

    private static Optional<TargetAddress> targetAddress(String text) {
        try {
            return Optional.of(TargetAddress.parse(text));
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
    }

    /** Stops, disables and deletes the tunnel on {@code port}, with its pinned host keys. */
    public RemoveResult remove(int port) {
        TunnelPort.check(port);
        if (!Files.exists(units.path(port))) {
            throw new NoSuchTunnelException(port);
        }
        requireSystemd();
        requireWritableUnitDirectory();
        String unit = UnitName.of(port);
        List<String> warnings = new ArrayList<>();
        List<Path> deleted = new ArrayList<>();
        try {
            var stopped = systemctl.disableNow(unit);
            if (!stopped.succeeded()) {
                warnings.add("stopping " + unit + ": " + stopped.firstErrorLine());
            }
            systemctl.resetFailed(unit); // while it is still loaded; fails harmlessly when it had not failed
            for (Path file : List.of(units.path(port), layout.knownHosts(port))) {
                if (Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            }
            deleteIfEmpty(layout.tunnelDirectory(port));
            deleteIfEmpty(layout.configDirectory());
            systemctl.daemonReload();
        } catch (IOException e) {
            throw new TunnelException("removing " + unit + " failed: " + e.getMessage(), e);
        }
        return new RemoveResult(port, unit, deleted, warnings);
    }

    private Installed install(int port, String unit, String pins) {
        String name = UnitName.of(port);
        Path pinFile = layout.knownHosts(port);
        Installed installed;
        try {
            installed = new Installed(port, units.read(port),
                    Files.exists(pinFile) ? Optional.of(Files.readString(pinFile)) : Optional.empty());
        } catch (IOException e) {
            throw new TunnelException("cannot read the existing tunnel on port " + port + ": " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(pinFile.getParent());
            AtomicFile.write(pinFile, pins, AtomicFile.PUBLIC);
            units.write(port, unit);
            systemctl.daemonReload();
            systemctl.enable(name);
            systemctl.restart(name);
            LOG.debug("installed and started {}", name);
            return installed;
        } catch (IOException e) {
            restore(installed);
            throw new TunnelException("setup failed and was undone: " + e.getMessage(), e);
        }
    }

    /** A tunnel just installed, and what it replaced: the previous unit and pins, if there were any. */
    private record Installed(int port, Optional<String> oldUnit, Optional<String> oldPins) {
        boolean replaced() {
            return oldUnit.isPresent();
        }
    }

    /** Puts back what {@link #install} replaced; every step is tried, failures are only logged. */
    private void restore(Installed installed) {
        int port = installed.port();
        Optional<String> oldUnit = installed.oldUnit();
        Optional<String> oldPins = installed.oldPins();
        String name = UnitName.of(port);
        Path pinFile = layout.knownHosts(port);
        try {
            if (oldUnit.isEmpty()) {
                systemctl.disableNow(name);
            }
            if (oldPins.isPresent()) {
                AtomicFile.write(pinFile, oldPins.get(), AtomicFile.PUBLIC);
            } else {
                Files.deleteIfExists(pinFile);
                deleteIfEmpty(pinFile.getParent());
            }
            if (oldUnit.isPresent()) {
                units.write(port, oldUnit.get());
            } else {
                units.delete(port);
            }
            systemctl.daemonReload();
            if (oldUnit.isPresent()) {
                systemctl.restart(name);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not fully restore {}: {}", name, e.getMessage());
        }
    }

    private TunnelStatus toStatus(int port, Path file, Map<String, String> properties, Instant now) {
        TunnelEndpoints endpoints = readUnit(file).endpoints();
        String state = properties.getOrDefault("ActiveState", "unknown");
        String subState = properties.getOrDefault("SubState", "unknown");
        return new TunnelStatus(port, UnitName.of(port), endpoints.bastion(), endpoints.target(), state, subState,
                parseTimestamp(properties.get("StateChangeTimestamp")),
                parseCount(properties.get("NRestarts")),
                parseTimestamp(properties.get("ExecMainStartTimestamp")),
                TunnelHealth.fromServiceState(state, subState, now));
    }

    /** What a unit file says about its tunnel: the command line's endpoints and the service's user. */
    /**
     * What a unit file says: what its command line connects, whom it runs as, the bastion-side bind
     * address it asks for, and whether it has the sandbox setup writes.
     */
    private record UnitFacts(TunnelEndpoints endpoints, Optional<String> user, Optional<String> remoteBind,
                             boolean hardened, Optional<Path> passphrase) {}

    private static UnitFacts readUnit(Path file) {
        try {
            UnitFile unit = UnitFile.parse(Files.readString(file, StandardCharsets.UTF_8));
            Optional<List<String>> argv = unit.execStart();
            return new UnitFacts(argv.map(TunnelEndpoints::fromArgv).orElse(TunnelEndpoints.NONE),
                    unit.value("Service", "User"), argv.flatMap(TunnelEndpoints::remoteBind),
                    unit.value("Service", "ProtectSystem").filter("strict"::equals).isPresent(),
                    unit.value("Service", "LoadCredential").flatMap(TunnelUnit::passphraseCredential));
        } catch (IOException | RuntimeException unreadable) {
            LOG.debug("cannot read {}: {}", file, unreadable.getMessage());
            return new UnitFacts(TunnelEndpoints.NONE, Optional.empty(), Optional.empty(), false, Optional.empty());
        }
    }

    /** systemctl prints {@code @SECONDS} with {@code --timestamp=unix}, and nothing for "never". */
    static Optional<Instant> parseTimestamp(String value) {
        if (value == null || !value.startsWith("@")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.substring(1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int parseCount(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private SortedMap<Integer, Path> listUnits() {
        try {
            return units.list();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ServiceUser invokingUser() {
        try {
            return users.invoking();
        } catch (IOException e) {
            throw new TunnelException("cannot tell which user the tunnel should run as: " + e.getMessage(), e);
        }
    }

    private static Path keyPath(ServiceUser user, int port, Optional<String> key) {
        return key.filter(k -> !k.isBlank()).map(k -> user.expand(k).toAbsolutePath().normalize())
                .orElse(TunnelKeys.defaultPath(user, port));
    }

    private static String keyComment(int port) {
        String host;
        try {
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            host = "localhost";
        }
        return "scitex-tunnel-" + port + "@" + host;
    }

    private TunnelKeys tunnelKeys() {
        return new TunnelKeys(runner, programs.find("ssh-keygen").map(Path::toString).orElse("ssh-keygen"));
    }

    private HostKeyTrust hostKeyTrust(ServiceUser user) {
        String keyscan = programs.find("ssh-keyscan").map(Path::toString).orElse("ssh-keyscan");
        return new HostKeyTrust(HostKeyTrust.standardFiles(user.home()), new HostKeyScanner(runner, keyscan));
    }

    private void requireAvailable(Engine engine, boolean acceptNew) {
        Availability availability = available(engine);
        if (availability.isAvailable() && acceptNew && programs.find("ssh-keyscan").isEmpty()) {
            availability = new Availability(List.of(SSH)); // --accept-new fetches the host key with ssh-keyscan
        }
        if (!availability.isAvailable()) {
            Prerequisite first = availability.missing().get(0);
            throw new TunnelException(first.name() + " is missing: " + first.fix());
        }
    }

    private void requireSystemd() {
        if (!Systemctl.isSystemdRunning()) {
            throw new TunnelException("systemd is not running on this machine, so there are no tunnel services to manage");
        }
    }

    private void requireWritableUnitDirectory() {
        if (!units.isWritable()) {
            throw new TunnelException("cannot write units to " + units.directory() + ": run with sudo");
        }
    }

    private static void deleteIfEmpty(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (var entries = Files.list(directory)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(directory);
                }
            }
        }
    }
}
