package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.setup.UnitInstaller.Installed;
import io.scitex.tunnel.ssh.BastionNetwork;
import io.scitex.tunnel.ssh.KeyPairLoader;
import io.scitex.tunnel.ssh.PrivateKeyCheck;
import io.scitex.tunnel.ssh.TrustedHostKeys;
import io.scitex.tunnel.unit.AutosshCommandLine;
import io.scitex.tunnel.unit.RunCommandLine;
import io.scitex.tunnel.unit.ServiceCode;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Carries out a setup request: rejects bad input, checks the machine and the bastion before anything is
 * written, installs the tunnel's unit, and then verifies that the tunnel works. Once the input is known to be
 * good and this process may write units, the port's lock is held to the end, and an interrupted install or
 * verification is undone.
 */
public final class Setup {
    private final Prerequisites prerequisites;
    private final TunnelKeySetup keys;
    private final BastionLogin bastionLogin;
    private final UnitInstaller installer;
    private final SetupVerification verification;
    private final BastionNetwork network;
    private final Programs programs;
    private final Supplier<Optional<ToolInstallation>> installation;
    private final ServiceCode serviceCode;
    private final TargetProtocol targets;
    private final String version;
    private final ServiceScope scope;
    private final Optional<LingerCheck> linger;

    /**
     * @param installation where this tool is installed, for the native engine's unit (looked up only for it)
     * @param serviceCode  whether a service may run that installation
     * @param targets      finds out how the target answers, unless the request says how to probe it
     * @param version      the version written into the unit's header
     * @param scope        whose tunnels: the machine's, or the invoking user's own
     * @param linger       for a user's own tunnels: the check that their manager outlives their sessions
     */
    public Setup(Prerequisites prerequisites, TunnelKeySetup keys, BastionLogin bastionLogin, UnitInstaller installer,
                 SetupVerification verification, BastionNetwork network, Programs programs,
                 Supplier<Optional<ToolInstallation>> installation, ServiceCode serviceCode, TargetProtocol targets,
                 String version,
                 ServiceScope scope, Optional<LingerCheck> linger) {
        this.prerequisites = prerequisites;
        this.keys = keys;
        this.bastionLogin = bastionLogin;
        this.installer = installer;
        this.verification = verification;
        this.network = network;
        this.programs = programs;
        this.installation = installation;
        this.serviceCode = serviceCode;
        this.targets = targets;
        this.version = version;
        this.scope = scope;
        this.linger = scope == ServiceScope.USER ? Optional.of(linger.orElseThrow()) : Optional.empty();
    }

    /** See {@link io.scitex.tunnel.ScitexTunnel#setup(SetupRequest, Consumer)}. */
    public SetupResult run(SetupRequest request, Consumer<PreflightCheck> progress) {
        PreparedTunnel unprobed = prepare(request, keys.invokingUser());
        TunnelSpec requested = unprobed.spec();
        ServiceUser user = unprobed.user();
        Engine engine = request.engine();
        Optional<Path> passphrase = unprobed.passphrase();

        Preflight preflight = new Preflight(progress);
        preflight.check("key", () -> requested.key() + ": a private key " + (passphrase.isPresent()
                ? "with its passphrase in " + passphrase.get() + " (copied to " + installer.passphraseFile(requested.port())
                        + " for the service)"
                : "without passphrase") + ", mode 600, owned by " + user.name());
        preflight.check("programs", () -> {
            prerequisites.require(engine, request.acceptNew() && request.networkChecks());
            return engine == Engine.NATIVE ? "systemd is running; the native engine needs nothing else"
                    : "systemd, autossh and ssh are installed";
        });
        preflight.check("permission", () -> {
            installer.requireWritable(requested.port(), request.force());
            installer.requireReachableBy(keys.asUser(user));
            return "may write units to " + installer.unitDirectory();
        });
        linger.ifPresent(check -> preflight.check("linger", () -> check.ensure(user.name())));
        // How status will know that a connection reached the target: setup looks at the target once, here.
        PreparedTunnel tunnel = probedAs(unprobed, preflight.check("target", () -> request.probe()
                .map(kind -> new TargetProtocol.Detected(kind, "probed as " + kind.label() + " (--probe)"))
                .orElseGet(() -> targets.detect(requested.target())), TargetProtocol.Detected::finding).kind());
        TunnelSpec spec = tunnel.spec();
        // From here to the end the port is this setup's: a second setup or a remove of it waits, or fails
        // naming this process, rather than mixing its unit or pins with these.
        try (PortLock lock = installer.lock(spec.port(), PortLocks.Purpose.SETUP)) {
            TrustedHostKeys trusted = checkBastion(preflight, tunnel, Optional.empty());
            // SIGINT or SIGTERM from here on puts back what was there, as a failure does.
            try (RestoreOnShutdown guard = RestoreOnShutdown.register(installer, lock, RestoreOnShutdown.RUNTIME,
                    System.err)) {
                Installed installed = guard.install(tunnel.unit(), trusted.knownHostsFile(spec.bastion().knownHostsName()),
                        tunnel.passphraseCopy());
                TunnelStatus status = verification.verify(preflight, spec, request, guard::restore);
                guard.done();
                return new SetupResult(spec, installed.unitFile(), installed.replaced(), trusted, preflight.done(),
                        status, engine);
            }
        }
    }

    /**
     * Checks {@code request} for {@code user} without touching the machine or the network and renders its unit:
     * bad input throws {@link InvalidInputException}, before any check is reported.
     */
    PreparedTunnel prepare(SetupRequest request, ServiceUser user) {
        TunnelPort.check(request.port());
        BastionAddress bastion = BastionAddress.parse(request.bastion());
        TargetAddress target = request.target().map(TargetAddress::parse).orElse(TargetAddress.LOCAL_SSHD);
        Engine engine = request.engine();
        if (request.passphraseFile().isPresent() && engine != Engine.NATIVE) {
            throw new InvalidInputException("--passphrase-file needs --engine native: autossh's ssh cannot read a"
                    + " passphrase from a file");
        }
        if (scope == ServiceScope.USER && user.isRoot()) {
            throw new InvalidInputException("--user sets up a tunnel of your own, without root: run it as that user,"
                    + " not as root (root's tunnels are system tunnels: leave out --user)");
        }
        if (scope == ServiceScope.USER && !user.name().equals(keys.invokingUser().name())) {
            throw new InvalidInputException("a tunnel of your own runs as you, not as " + Printable.quoted(user.name())
                    + ": leave out user (or apply the file as root, without --user)");
        }
        Path key = TunnelKeySetup.keyPath(user, request.port(), Optional.ofNullable(request.key()));
        if ((request.key() == null || request.key().isBlank()) && !Files.exists(key)) {
            throw new InvalidInputException("key is missing: give -s KEY or set SCITEX_TUNNEL_SECRET_KEY_PATH,"
                    + " or create a dedicated one with `scitex-tunnel keygen -p " + request.port() + "`");
        }
        TunnelSpec spec = TunnelSpec.builder().port(request.port()).bastion(bastion).target(target)
                .key(key).serviceUser(user.name()).probe(request.probe().orElse(ProbeKind.GREETING)).build();
        Optional<Path> passphrase = request.passphraseFile().filter(p -> !p.isBlank())
                .map(p -> user.expand(p).toAbsolutePath().normalize());
        PrivateKeyCheck.check(spec.key(), user, passphrase.isPresent());
        Optional<String> passphraseCopy = passphrase.map(file -> checkPassphrase(spec.key(), file, user));
        Path knownHosts = installer.pinFile(spec.port());
        Optional<Path> credential = passphrase.map(file -> installer.passphraseFile(spec.port()));
        UnitProgram program = engine == Engine.NATIVE
                ? nativeProgram(spec, user, knownHosts, credential)
                : UnitProgram.autossh(AutosshCommandLine.argv(programs.find("autossh").orElse(Path.of("/usr/bin/autossh")),
                        spec, knownHosts), AutosshCommandLine.ENVIRONMENT);
        return new PreparedTunnel(request, spec, user, passphrase, passphraseCopy, knownHosts, program,
                render(spec, program, knownHosts));
    }

    /** {@code tunnel} with its target probed as {@code kind}: the spec and unit say so. */
    PreparedTunnel probedAs(PreparedTunnel tunnel, ProbeKind kind) {
        TunnelSpec spec = tunnel.spec().toBuilder().probe(kind).build();
        return tunnel.with(spec, render(spec, tunnel.program(), tunnel.knownHosts()));
    }

    /** How {@code target} answers when connected to on this machine (never throws). */
    TargetProtocol.Detected detectProbe(TargetAddress target) {
        return targets.detect(target);
    }

    private String render(TunnelSpec spec, UnitProgram program, Path knownHosts) {
        // A user's pins live in their ~/.config, which the sandbox hides; the system's in /etc, which it does not.
        return TunnelUnit.render(spec, program, version, scope, scope == ServiceScope.USER
                ? Optional.of(knownHosts.getParent()) : Optional.empty());
    }

    /** For a user's own tunnels, the step that makes sure their manager outlives their sessions (throws if not). */
    void ensureLinger(ServiceUser user) {
        linger.ifPresent(check -> check.ensure(user.name()));
    }

    /**
     * The bastion checks of setup, each a check of {@code preflight}, holding the port's lock: reachable, its host
     * key trusted ({@code declared} keys when given, else pinned, known or, if asked, fetched), the key accepted
     * and the port free. Returns the host keys to pin.
     */
    TrustedHostKeys checkBastion(Preflight preflight, PreparedTunnel tunnel, Optional<TrustedHostKeys> declared) {
        return checkBastion(preflight, tunnel, declared, Optional.empty());
    }

    /** As above; {@code heldByTunnel}, when known, says whether the tunnel being replaced is up. */
    TrustedHostKeys checkBastion(Preflight preflight, PreparedTunnel tunnel, Optional<TrustedHostKeys> declared,
                                 Optional<Boolean> heldByTunnel) {
        TunnelSpec spec = tunnel.spec();
        SetupRequest request = tunnel.request();
        BastionAddress bastion = spec.bastion();
        if (request.networkChecks()) {
            preflight.check("bastion", () -> network.reach(bastion, BastionNetwork.LOOK_TIMEOUT));
        }
        TrustedHostKeys trusted = preflight.check("host key", () -> declared.orElseGet(() -> keys.hostKeyTrust(tunnel.user())
                .resolve(bastion, tunnel.knownHosts(), request.acceptNew() && request.networkChecks())), Setup::describe);
        if (request.networkChecks()) {
            if (heldByTunnel.isPresent()) {
                bastionLogin.check(preflight, spec, tunnel.user(), trusted, tunnel.passphrase(), heldByTunnel::get);
            } else {
                bastionLogin.check(preflight, spec, tunnel.user(), trusted, tunnel.passphrase());
            }
        } else {
            preflight.skip("network", "--no-check: not checked whether the bastion is reachable, accepts the key"
                    + " and has port " + spec.port() + " free");
        }
        return trusted;
    }

    private static String describe(TrustedHostKeys trusted) {
        String fingerprints = trusted.keys().stream().map(k -> k.type() + " " + k.fingerprint())
                .collect(Collectors.joining(", "));
        return switch (trusted.source()) {
            case PINNED -> fingerprints + " (pinned earlier)";
            case KNOWN_HOSTS -> fingerprints + " (from " + trusted.origin() + ")";
            case FETCHED -> fingerprints + " (fetched now and pinned: trust on first use)";
        };
    }

    /**
     * The native engine's unit runs this installation's launcher with the Java runtime running now, both
     * resolved here (a service has its own PATH), once it is known that the service may run them.
     */
    private UnitProgram nativeProgram(TunnelSpec spec, ServiceUser user, Path knownHosts, Optional<Path> passphrase) {
        ToolInstallation tool = installation.get().orElseThrow(() -> new TunnelException(
                "the native engine runs through the scitex-tunnel launcher, and none was found: "
                        + ServiceCode.INSTALL_THE_PACKAGE));
        serviceCode.requireRunnable(tool, user);
        return new UnitProgram(Engine.NATIVE, RunCommandLine.argv(tool.launcher(), spec, knownHosts),
                RunCommandLine.environment(tool.java()), List.of(tool.directory(), tool.javaHome()), passphrase);
    }

    /**
     * The passphrase file must be the user's, private (as a key is), belong to a key that has a passphrase, and
     * decrypt it: the service finds out no earlier than at its first start otherwise. Returns what the
     * service's root-owned copy holds: the passphrase, on one line.
     */
    private static String checkPassphrase(Path key, Path file, ServiceUser user) {
        if (!Files.exists(file)) {
            throw new InvalidInputException("passphrase file " + file + " does not exist");
        }
        if (!PrivateKeyCheck.isPassphraseProtected(key, user)) {
            throw new InvalidInputException("key " + key + " has no passphrase: leave out --passphrase-file");
        }
        KeyPairLoader.loadForTunnel(key, Optional.of(file), user);
        return KeyPairLoader.passphrase(file, UserFiles.of(user)) + "\n";
    }
}
