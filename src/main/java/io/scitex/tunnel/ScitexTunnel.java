package io.scitex.tunnel;

import io.scitex.tunnel.bastion.BastionStatus;
import io.scitex.tunnel.bastion.BastionSystem;
import io.scitex.tunnel.bastion.DropInInstaller;
import io.scitex.tunnel.bastion.ListenerProbe;
import io.scitex.tunnel.bastion.ProcBastionSystem;
import io.scitex.tunnel.bastion.SshdDropIn;
import io.scitex.tunnel.bastion.SshdSettings;
import io.scitex.tunnel.fleet.TunnelsFile;
import io.scitex.tunnel.fleet.TunnelsFileWriter;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.FileOwners;
import io.scitex.tunnel.host.Linger;
import io.scitex.tunnel.host.MachineName;
import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.Availability;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.JournalReader;
import io.scitex.tunnel.service.Journalctl;
import io.scitex.tunnel.service.ServiceManager;
import io.scitex.tunnel.service.Systemctl;
import io.scitex.tunnel.setup.Apply;
import io.scitex.tunnel.setup.ApplyResult;
import io.scitex.tunnel.setup.BastionLogin;
import io.scitex.tunnel.setup.DeclaredTunnel;
import io.scitex.tunnel.setup.Export;
import io.scitex.tunnel.setup.KeygenResult;
import io.scitex.tunnel.setup.LingerCheck;
import io.scitex.tunnel.setup.PreflightCheck;
import io.scitex.tunnel.setup.Prerequisites;
import io.scitex.tunnel.setup.RemoveResult;
import io.scitex.tunnel.setup.Setup;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.setup.SetupResult;
import io.scitex.tunnel.setup.SetupVerification;
import io.scitex.tunnel.setup.SocketTargetProtocol;
import io.scitex.tunnel.setup.TargetProtocol;
import io.scitex.tunnel.setup.TunnelKeySetup;
import io.scitex.tunnel.setup.UnitInstaller;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.ssh.BastionNetwork;
import io.scitex.tunnel.ssh.ClientHostBlock;
import io.scitex.tunnel.ssh.LocalHostKeys;
import io.scitex.tunnel.ssh.SshBastionNetwork;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.ssh.SshdAccountBlock;
import io.scitex.tunnel.status.Doctor;
import io.scitex.tunnel.status.EngineStates;
import io.scitex.tunnel.status.HealthCheck;
import io.scitex.tunnel.status.InstalledTunnel;
import io.scitex.tunnel.status.ProbeTargets;
import io.scitex.tunnel.status.ServiceStates;
import io.scitex.tunnel.status.TunnelLogs;
import io.scitex.tunnel.status.UsersTunnels;
import io.scitex.tunnel.unit.ServiceCode;
import io.scitex.tunnel.unit.UnitDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sets up, lists and removes persistent reverse tunnels, each a systemd service
 * ({@code autossh-tunnel-PORT.service}) that keeps autossh, or this tool's native engine, running. Bad input throws
 * {@link InvalidInputException}; an operation this machine cannot carry out throws {@link TunnelException}.
 * Both carry a one-line message meant for the user, and neither leaves anything half-written.
 */
public final class ScitexTunnel {
    /** The default time each end-to-end probe may take. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = HealthCheck.DEFAULT_PROBE_TIMEOUT;

    private final Prerequisites prerequisites;
    private final Setup setup;
    private final TunnelKeySetup keys;
    private final ServiceStates states;
    private final HealthCheck checker;
    private final Doctor doctor;
    private final TunnelLogs logs;
    private final UnitInstaller installer;
    private final CommandRunner runner;
    private final Programs programs;
    private final Users users;
    private final UnitDirectory units;
    private final ServiceScope scope;
    private final Optional<LingerCheck> linger;
    private final Optional<String> owner;
    private final UsersTunnels usersTunnels;
    private final Apply apply;
    private final Export export;
    private final Path tunnelsFile;

    /** The tool on this machine's systemd, bastions reached over the real network. */
    public ScitexTunnel(SystemLayout layout, CommandRunner runner, Programs programs, Map<String, String> environment) {
        this(layout, runner, programs, environment, new Systemctl(runner, layout.scope(), layout.runtimeDirectory()),
                new Journalctl(runner, layout.scope()), new SshBastionNetwork(), () -> ToolInstallation.locate(programs),
                Clock.systemUTC());
    }

    /**
     * The tool over the given parts: the service manager, journal and bastion network it drives, where it is
     * installed, and its clock. Tests hand in fakes.
     */
    public ScitexTunnel(SystemLayout layout, CommandRunner runner, Programs programs, Map<String, String> environment,
                        ServiceManager services, JournalReader journal, BastionNetwork network,
                        Supplier<Optional<ToolInstallation>> installation, Clock clock) {
        this(layout, runner, programs, environment, services, journal, network, installation, new FileOwners(),
                new SocketTargetProtocol(), clock);
    }

    /**
     * The tool over the given parts, also told who owns the files of its installation and how setup finds out
     * the way a target answers ({@link TargetProtocol}): tests hand in their own answers.
     */
    public ScitexTunnel(SystemLayout layout, CommandRunner runner, Programs programs, Map<String, String> environment,
                        ServiceManager services, JournalReader journal, BastionNetwork network,
                        Supplier<Optional<ToolInstallation>> installation, FileOwners owners, TargetProtocol targets,
                        Clock clock) {
        boolean own = layout.scope() == ServiceScope.USER;
        // A user's own tunnels are the user's running this process, whoever they became it through (sudo -u).
        Users users = new Users(runner, own ? withoutSudoUser(environment) : environment);
        UnitDirectory units = new UnitDirectory(layout.unitDirectory());
        this.runner = runner;
        this.programs = programs;
        this.users = users;
        this.units = units;
        this.scope = layout.scope();
        this.owner = own ? Optional.of(System.getProperty("user.name")) : Optional.empty();
        ProbeTargets probeTargets = new ProbeTargets(users, owner, Optional.of(ProbeTargets.MACHINE_HOST_KEYS));
        Linger lingering = new Linger(runner);
        this.linger = own ? Optional.of(new LingerCheck(lingering)) : Optional.empty();
        this.usersTunnels = new UsersTunnels(lingering, users, runner, installation);
        this.prerequisites = new Prerequisites(programs, services);
        this.keys = new TunnelKeySetup(users, runner, programs, new MachineName());
        this.states = new ServiceStates(units, services, clock);
        // A native tunnel's runtime directory is its manager's: /run, or a user manager's $XDG_RUNTIME_DIR.
        this.checker = new HealthCheck(states, probeTargets, network, journal,
                Optional.of(new EngineStates(layout.runtimeDirectory(), probeTargets)), clock);
        this.doctor = new Doctor(probeTargets, network);
        this.logs = new TunnelLogs(units, journal);
        this.installer = new UnitInstaller(layout, units, services);
        this.setup = new Setup(prerequisites, keys, new BastionLogin(states, network), installer,
                new SetupVerification(states, checker, clock), network, programs, installation, new ServiceCode(owners),
                targets, Version.current(), scope, linger);
        this.apply = new Apply(setup, keys, prerequisites, installer, units, services, checker, clock);
        this.export = new Export(layout, units, keys);
        this.tunnelsFile = layout.configDirectory().resolve(TunnelsFile.FILE_NAME);
    }

    private static Map<String, String> withoutSudoUser(Map<String, String> environment) {
        Map<String, String> copy = new HashMap<>(environment);
        copy.remove("SUDO_USER");
        return copy;
    }

    /** The tool as installed on this machine: {@code /etc/systemd/system}, PATH and environment of this process. */
    public static ScitexTunnel system() {
        return new ScitexTunnel(SystemLayout.DEFAULT, new CommandRunner(), new Programs(), System.getenv());
    }

    /**
     * The tunnels of the user running this process, without root: units in {@code ~/.config/systemd/user}
     * ({@code $XDG_CONFIG_HOME}), driven with {@code systemctl --user}, their journal read with
     * {@code journalctl --user}, pins and locks in the user's own config and runtime directories. The same
     * operations as {@link #system()}; setup also checks that the user lingers (enabling it if logind lets them),
     * since without linger a user service stops at logout and does not start at boot.
     */
    public static ScitexTunnel user() {
        CommandRunner runner = new CommandRunner();
        ServiceUser me;
        try {
            me = new Users(runner, Map.of()).lookup(System.getProperty("user.name"));
        } catch (IOException e) {
            throw new TunnelException("cannot look up the user running this process: " + e.getMessage(), e);
        }
        return new ScitexTunnel(SystemLayout.user(me, System.getenv()), runner, new Programs(), System.getenv());
    }

    /**
     * For a user's own tunnels, what their lacking linger does to them (they stop at the user's last logout and
     * do not start at boot); empty for system tunnels and for a user who lingers.
     */
    public Optional<String> lingerWarning() {
        return linger.flatMap(check -> check.warning(owner.orElseThrow()));
    }

    /** Whose tunnels this instance manages: the machine's, or the user's own. */
    public ServiceScope scope() {
        return scope;
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
        return prerequisites.missing(engine);
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
        return setup.run(request, progress);
    }

    /**
     * Creates a dedicated ed25519 key for the tunnel on {@code port} (default path
     * {@code ~/.ssh/scitex-tunnel-PORT_ed25519} of the service user), owned by that user, mode 0600; an
     * existing key is replaced only with {@code force}.
     */
    public KeygenResult keygen(int port, Optional<String> key, boolean force) {
        return keys.keygen(port, key, force);
    }

    /** The bastion's authorized_keys line that lets the key hold {@code port} and nothing else. */
    public AuthorizedKeyLine authorize(int port, Optional<String> key) {
        return keys.authorize(port, key);
    }

    /**
     * The bastion's sshd_config block for the account the tunnels log in as, {@code account}, else the invoking
     * user's name (ssh's login when the bastion names none): what the authorized_keys line cannot forbid, Unix-socket
     * forwards and forwards beyond the bastion's loopback, and what no tunnel uses (terminals, X11, agent, tun).
     */
    public SshdAccountBlock sshdBlock(Optional<String> account) {
        return keys.sshdBlock(account);
    }

    /**
     * Every tunnel unit on this machine, read with a single {@code systemctl show}: systemd's view only, so
     * an active service counts as up. {@link #check} also probes each tunnel end to end.
     */
    public List<TunnelStatus> status() {
        return states.all();
    }

    /** The ports of the tunnels installed, from their unit files alone (no systemd, no probe). */
    public List<Integer> ports() {
        return states.ports();
    }

    /**
     * The own tunnels of every user who lingers, by user, each listed by that user's own
     * {@code scitex-tunnel status --user} run with their ids (root does not log in as them, and reads none of
     * their files): with {@code probeTimeout} probed end to end, else as their manager sees them. For root.
     */
    public List<UsersTunnels.Owned> lingeringUsersTunnels(Optional<Duration> probeTimeout) {
        return usersTunnels.all(probeTimeout);
    }

    /** The tunnel on {@code port}; {@link NoSuchTunnelException} if there is none. */
    public TunnelStatus status(int port) {
        return states.of(port);
    }

    /**
     * Every tunnel, checked end to end: what systemd says, a probe through each running tunnel's forward
     * (in parallel, each within {@code probeTimeout}) and then the journal's newest problems (one
     * {@code journalctl} for all units).
     */
    public List<TunnelStatus> check(Duration probeTimeout) {
        return checker.all(probeTimeout).stream().map(InstalledTunnel::status).toList();
    }

    /** The tunnel on {@code port}, checked end to end; {@link NoSuchTunnelException} if there is none. */
    public TunnelStatus check(int port, Duration probeTimeout) {
        return checker.of(port, probeTimeout).status();
    }

    /**
     * Diagnoses every tunnel (or the one on {@code port}): the end-to-end check of {@link #check}, plus the
     * tunnel's key checked as ssh checks it, the bastion's reachability, and the unit's sandbox; each finding
     * comes with its fix, including advice only the bastion's admin can apply.
     */
    public List<Diagnosis> doctor(Optional<Integer> port, Duration probeTimeout) {
        List<InstalledTunnel> checked = port.map(p -> List.of(checker.of(p, probeTimeout)))
                .orElseGet(() -> checker.all(probeTimeout));
        return checked.stream().map(doctor::diagnose).toList();
    }

    /**
     * Streams the journal of the tunnel on {@code port} to {@code sink}: the last {@code lines} lines, then,
     * with {@code follow}, new ones as they come until journalctl ends (Ctrl-C ends both).
     */
    public void logs(int port, int lines, boolean follow, Consumer<JournalEvent> sink) {
        logs.stream(port, lines, follow, sink);
    }

    /** Where {@code apply} and {@code export} read and write the tunnels file by default. */
    public Path tunnelsFile() {
        return tunnelsFile;
    }

    /**
     * Makes this machine's tunnels those {@code tunnels} declares (read with {@link TunnelsFile#read}): creates
     * and replaces only those that differ, with one daemon-reload and batched systemctl calls, each verified end
     * to end as setup verifies one; with {@code prune}, removes installed tunnels not declared. Bad input anywhere
     * throws before anything changes; a tunnel that fails is put back and named in the result, and the others go
     * on.
     *
     * @param check only plan, change nothing
     */
    public ApplyResult apply(List<DeclaredTunnel> tunnels, boolean check, boolean prune) {
        return apply.run(tunnels, check, prune);
    }

    /**
     * This machine's tunnels as declarations (see {@link TunnelsFileWriter}), whoever wrote their units: applied
     * back, they change nothing.
     */
    public Export.Exported export() {
        return export.run();
    }

    /** Stops, disables and deletes the tunnel on {@code port}, with its pinned host keys. */
    public RemoveResult remove(int port) {
        return installer.remove(port);
    }

    /**
     * On the bastion: every reverse-forward port an sshd session holds, with its account, client, key and
     * whether it reaches a target now; and every port an authorized_keys line of a tunnel account (a member of
     * {@code group}) permits that nobody holds.
     *
     * @param authorizedKeysFiles sshd's AuthorizedKeysFile patterns; empty: what {@code sshd -T -f sshdConfig} says
     */
    public BastionStatus.Report bastionStatus(String group, List<String> authorizedKeysFiles, Path sshdConfig,
                                              Duration probeTimeout) {
        List<String> files = authorizedKeysFiles.isEmpty() ? SshdSettings.authorizedKeysFiles(runner, sshd(), sshdConfig)
                : authorizedKeysFiles;
        BastionSystem system = new ProcBastionSystem(runner, users, group, files);
        Duration half = probeTimeout.dividedBy(2);
        return new BastionStatus(system, new ListenerProbe(half, half)).read();
    }

    /** Installs sshd's drop-in for tunnels, checked with {@code sshd -t -f sshdConfig}, then reloads {@code reloadUnit}. */
    public DropInInstaller.Outcome applySshdDropIn(SshdDropIn dropIn, Path file, Path sshdConfig, String reloadUnit) {
        return new DropInInstaller(runner, sshd(), file, sshdConfig, reloadUnit).apply(dropIn);
    }

    private String sshd() {
        return programs.find("sshd").or(() -> Optional.of(Path.of("/usr/sbin/sshd")).filter(java.nio.file.Files::isExecutable))
                .map(Path::toString).orElse("sshd");
    }

    /**
     * For the people who connect: the ssh_config block that reaches this machine through the tunnel on
     * {@code port}, jumping through the bastion its unit names, and this machine's host key to pin under
     * {@code name} (default: the short host name).
     *
     * @param hostKey this machine's sshd public key; empty: the preferred one in /etc/ssh
     */
    public ClientHostBlock sshConfig(int port, Optional<String> name, Optional<String> login, Optional<Path> hostKey) {
        try {
            if (units.read(port).isEmpty()) {
                throw new NoSuchTunnelException(port);
            }
        } catch (java.io.IOException e) {
            throw new TunnelException("cannot read the unit of the tunnel on port " + port + ": " + e.getMessage(), e);
        }
        String bastion = units.installed(port).endpoints().bastion().orElseThrow(() -> new TunnelException(
                "the unit of the tunnel on port " + port + " names no bastion that this tool can read"));
        String alias = name.orElseGet(() -> new MachineName().get().split("\\.", 2)[0]);
        SshPublicKey key = hostKey.map(LocalHostKeys::read)
                .orElseGet(() -> new LocalHostKeys(LocalHostKeys.DEFAULT_DIRECTORY).preferred());
        return new ClientHostBlock(alias, port, login, BastionAddress.parse(bastion), key);
    }
}
