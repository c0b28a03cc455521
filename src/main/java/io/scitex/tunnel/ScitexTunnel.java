package io.scitex.tunnel;

import io.scitex.tunnel.engine.AutosshCommand;
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
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.Prerequisite;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.Systemctl;
import io.scitex.tunnel.service.TunnelUnit;
import io.scitex.tunnel.service.UnitProgram;
import io.scitex.tunnel.service.UnitDirectory;
import io.scitex.tunnel.service.UnitFile;
import io.scitex.tunnel.service.UnitName;
import io.scitex.tunnel.ssh.HostKeyScanner;
import io.scitex.tunnel.ssh.HostKeyTrust;
import io.scitex.tunnel.ssh.KeyPairs;
import io.scitex.tunnel.ssh.PrivateKeyCheck;
import io.scitex.tunnel.ssh.TrustedHostKeys;
import io.scitex.tunnel.ssh.TunnelKeys;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
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

    private final SystemLayout layout;
    private final Programs programs;
    private final Users users;
    private final Systemctl systemctl;
    private final UnitDirectory units;
    private final CommandRunner runner;
    private final String version;

    public ScitexTunnel(SystemLayout layout, CommandRunner runner, Programs programs, Map<String, String> environment) {
        this.layout = layout;
        this.runner = runner;
        this.programs = programs;
        this.users = new Users(runner, environment);
        this.systemctl = new Systemctl(runner);
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

    /**
     * Installs and starts the tunnel, replacing one on the same port. Everything is checked before
     * anything is written; if a later step fails, the previous state is restored.
     */
    public SetupResult setup(SetupRequest request) {
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
            throw new InvalidInputException("key is missing: give -s KEY, or create a dedicated one with"
                    + " `scitex-tunnel keygen -p " + request.port() + "`");
        }
        TunnelSpec spec = TunnelSpec.builder().port(request.port()).bastion(bastion).target(target)
                .key(key).serviceUser(user.name()).build();
        Optional<Path> passphrase = request.passphraseFile().filter(p -> !p.isBlank())
                .map(p -> user.expand(p).toAbsolutePath().normalize());
        PrivateKeyCheck.check(spec.key(), user, passphrase.isPresent());
        passphrase.ifPresent(file -> checkPassphrase(spec.key(), file));
        requireAvailable(engine, request.acceptNew());
        Path knownHosts = layout.knownHosts(spec.port());
        UnitProgram program = engine == Engine.NATIVE
                ? nativeProgram(spec, knownHosts, passphrase)
                : UnitProgram.autossh(AutosshCommand.argv(programs.find("autossh").orElseThrow(), spec, knownHosts),
                        AutosshCommand.ENVIRONMENT);
        String unit = TunnelUnit.render(spec, program, version);
        requireWritableUnitDirectory();
        TrustedHostKeys hostKeys = hostKeyTrust(user).resolve(bastion, knownHosts, request.acceptNew());
        boolean replaced = install(spec.port(), unit, hostKeys.knownHostsFile(bastion.knownHostsName()));
        return new SetupResult(spec, units.path(spec.port()), replaced, hostKeys, status(spec.port()), engine);
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

    /** Every tunnel unit on this machine, read with a single {@code systemctl show}. */
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
        return files.entrySet().stream()
                .map(e -> toStatus(e.getKey(), e.getValue(), shown.getOrDefault(UnitName.of(e.getKey()), Map.of())))
                .toList();
    }

    /** The tunnel on {@code port}; {@link NoSuchTunnelException} if there is none. */
    public TunnelStatus status(int port) {
        TunnelPort.check(port);
        return status().stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new NoSuchTunnelException(port));
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
            for (Path file : List.of(units.path(port), layout.knownHosts(port))) {
                if (Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            }
            deleteIfEmpty(layout.tunnelDirectory(port));
            deleteIfEmpty(layout.configDirectory());
            systemctl.daemonReload();
            systemctl.resetFailed(unit); // fails harmlessly when the unit had not failed
        } catch (IOException e) {
            throw new TunnelException("removing " + unit + " failed: " + e.getMessage(), e);
        }
        return new RemoveResult(port, unit, deleted, warnings);
    }

    private boolean install(int port, String unit, String pins) {
        String name = UnitName.of(port);
        Path pinFile = layout.knownHosts(port);
        Optional<String> oldUnit;
        Optional<String> oldPins;
        try {
            oldUnit = units.read(port);
            oldPins = Files.exists(pinFile) ? Optional.of(Files.readString(pinFile)) : Optional.empty();
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
            return oldUnit.isPresent();
        } catch (IOException e) {
            restore(port, oldUnit, oldPins);
            throw new TunnelException("setup failed and was undone: " + e.getMessage(), e);
        }
    }

    /** Puts back what {@link #install} replaced; every step is tried, failures are only logged. */
    private void restore(int port, Optional<String> oldUnit, Optional<String> oldPins) {
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

    private TunnelStatus toStatus(int port, Path file, Map<String, String> properties) {
        TunnelEndpoints endpoints = readEndpoints(file);
        return new TunnelStatus(port, UnitName.of(port), endpoints.bastion(), endpoints.target(),
                properties.getOrDefault("ActiveState", "unknown"), properties.getOrDefault("SubState", "unknown"),
                parseTimestamp(properties.get("StateChangeTimestamp")),
                parseCount(properties.get("NRestarts")));
    }

    private static TunnelEndpoints readEndpoints(Path file) {
        try {
            return UnitFile.parse(Files.readString(file, StandardCharsets.UTF_8)).execStart()
                    .map(TunnelEndpoints::fromArgv)
                    .orElse(new TunnelEndpoints(Optional.empty(), Optional.empty()));
        } catch (IOException | RuntimeException unreadable) {
            LOG.debug("cannot read {}: {}", file, unreadable.getMessage());
            return new TunnelEndpoints(Optional.empty(), Optional.empty());
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
