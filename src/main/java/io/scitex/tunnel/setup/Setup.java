package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
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
    private final TargetProtocol targets;
    private final String version;
    private final ServiceScope scope;
    private final Optional<LingerCheck> linger;

    /** Setup of system tunnels. */
    public Setup(Prerequisites prerequisites, TunnelKeySetup keys, BastionLogin bastionLogin, UnitInstaller installer,
                 SetupVerification verification, BastionNetwork network, Programs programs,
                 Supplier<Optional<ToolInstallation>> installation, String version) {
        this(prerequisites, keys, bastionLogin, installer, verification, network, programs, installation, version,
                ServiceScope.SYSTEM, Optional.empty());
    }

    /**
     * @param installation where this tool is installed, for the native engine's unit (looked up only for it)
     * @param version      the version written into the unit's header
     * @param scope        whose tunnels: the machine's, or the invoking user's own
     * @param linger       for a user's own tunnels: the check that their manager outlives their sessions
     */
    public Setup(Prerequisites prerequisites, TunnelKeySetup keys, BastionLogin bastionLogin, UnitInstaller installer,
                 SetupVerification verification, BastionNetwork network, Programs programs,
                 Supplier<Optional<ToolInstallation>> installation, String version, ServiceScope scope,
                 Optional<LingerCheck> linger) {
        this(prerequisites, keys, bastionLogin, installer, verification, network, programs, installation,
                new SocketTargetProtocol(), version, scope, linger);
    }

    /** @param targets finds out how the target answers, unless the request says how to probe it */
    public Setup(Prerequisites prerequisites, TunnelKeySetup keys, BastionLogin bastionLogin, UnitInstaller installer,
                 SetupVerification verification, BastionNetwork network, Programs programs,
                 Supplier<Optional<ToolInstallation>> installation, TargetProtocol targets, String version,
                 ServiceScope scope, Optional<LingerCheck> linger) {
        this.targets = targets;
        this.prerequisites = prerequisites;
        this.keys = keys;
        this.bastionLogin = bastionLogin;
        this.installer = installer;
        this.verification = verification;
        this.network = network;
        this.programs = programs;
        this.installation = installation;
        this.version = version;
        this.scope = scope;
        this.linger = scope == ServiceScope.USER ? Optional.of(linger.orElseThrow()) : Optional.empty();
    }

    /** See {@link io.scitex.tunnel.ScitexTunnel#setup(SetupRequest, Consumer)}. */
    public SetupResult run(SetupRequest request, Consumer<PreflightCheck> progress) {
        TunnelPort.check(request.port());
        BastionAddress bastion = BastionAddress.parse(request.bastion());
        TargetAddress target = request.target().map(TargetAddress::parse).orElse(TargetAddress.LOCAL_SSHD);
        Engine engine = request.engine();
        if (request.passphraseFile().isPresent() && engine != Engine.NATIVE) {
            throw new InvalidInputException("--passphrase-file needs --engine native: autossh's ssh cannot read a"
                    + " passphrase from a file");
        }
        ServiceUser user = keys.invokingUser();
        if (scope == ServiceScope.USER && user.isRoot()) {
            throw new InvalidInputException("--user sets up a tunnel of your own, without root: run it as that user,"
                    + " not as root (root's tunnels are system tunnels: leave out --user)");
        }
        Path key = TunnelKeySetup.keyPath(user, request.port(), Optional.ofNullable(request.key()));
        if ((request.key() == null || request.key().isBlank()) && !Files.exists(key)) {
            throw new InvalidInputException("key is missing: give -s KEY or set SCITEX_TUNNEL_SECRET_KEY_PATH,"
                    + " or create a dedicated one with `scitex-tunnel keygen -p " + request.port() + "`");
        }
        TunnelSpec requested = TunnelSpec.builder().port(request.port()).bastion(bastion).target(target)
                .key(key).serviceUser(user.name()).build();
        Optional<Path> passphrase = request.passphraseFile().filter(p -> !p.isBlank())
                .map(p -> user.expand(p).toAbsolutePath().normalize());
        // Bad input is a usage error, found before any check is reported.
        PrivateKeyCheck.check(requested.key(), user, passphrase.isPresent());
        Optional<String> passphraseCopy = passphrase.map(file -> checkPassphrase(requested.key(), file, user));
        Path knownHosts = installer.pinFile(requested.port());
        Optional<Path> credential = passphrase.map(file -> installer.passphraseFile(requested.port()));
        UnitProgram program = engine == Engine.NATIVE
                ? nativeProgram(requested, knownHosts, credential)
                : UnitProgram.autossh(AutosshCommandLine.argv(programs.find("autossh").orElse(Path.of("/usr/bin/autossh")),
                        requested, knownHosts), AutosshCommandLine.ENVIRONMENT);

        Preflight preflight = new Preflight(progress);
        preflight.check("key", () -> requested.key() + ": a private key " + (passphrase.isPresent()
                ? "with its passphrase in " + passphrase.get() + " (copied to " + credential.get() + " for the service)"
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
        TunnelSpec spec = requested.toBuilder().probe(preflight.check("target", () -> request.probe()
                .map(kind -> new TargetProtocol.Detected(kind, "probed as " + kind.label() + " (--probe)"))
                .orElseGet(() -> targets.detect(target)), TargetProtocol.Detected::finding).kind()).build();
        // From here to the end the port is this setup's: a second setup or a remove of it waits, or fails
        // naming this process, rather than mixing its unit or pins with these.
        try (PortLock lock = installer.lock(spec.port(), PortLocks.Purpose.SETUP)) {
            if (request.networkChecks()) {
                preflight.check("bastion", () -> network.reach(bastion, BastionNetwork.LOOK_TIMEOUT));
            }
            TrustedHostKeys trusted = preflight.check("host key", () -> keys.hostKeyTrust(user)
                    .resolve(bastion, knownHosts, request.acceptNew() && request.networkChecks()), Setup::describe);
            if (request.networkChecks()) {
                bastionLogin.check(preflight, spec, user, trusted, passphrase);
            } else {
                preflight.skip("network", "--no-check: not checked whether the bastion is reachable, accepts the key"
                        + " and has port " + spec.port() + " free");
            }
            // A user's pins live in their ~/.config, which the sandbox hides; the system's in /etc, which it does not.
            String unit = TunnelUnit.render(spec, program, version, scope, scope == ServiceScope.USER
                    ? Optional.of(knownHosts.getParent()) : Optional.empty());
            // SIGINT or SIGTERM from here on puts back what was there, as a failure does.
            try (RestoreOnShutdown guard = RestoreOnShutdown.register(installer, lock, RestoreOnShutdown.RUNTIME,
                    System.err)) {
                Installed installed = guard.install(unit, trusted.knownHostsFile(bastion.knownHostsName()),
                        passphraseCopy);
                TunnelStatus status = verification.verify(preflight, spec, request, guard::restore);
                guard.done();
                return new SetupResult(spec, installed.unitFile(), installed.replaced(), trusted, preflight.done(),
                        status, engine);
            }
        }
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
     * The native engine's unit runs this installation's launcher with the JDK running now, both resolved
     * here: a service has its own PATH, and the sandbox must be told what to let it read.
     */
    private UnitProgram nativeProgram(TunnelSpec spec, Path knownHosts, Optional<Path> passphrase) {
        ToolInstallation tool = installation.get().orElseThrow(() -> new TunnelException(
                "the native engine runs through the scitex-tunnel launcher, and none was found: run setup with"
                        + " bin/scitex-tunnel, or put it on PATH (sudo ln -s /PATH/TO/bin/scitex-tunnel /usr/local/bin/)"));
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
