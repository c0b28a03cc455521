package io.scitex.tunnel.testing;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.demo.DemoKeys;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.FileOwner;
import io.scitex.tunnel.host.FileOwners;
import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.setup.TargetProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A machine for fast workflow tests, all of it in one temporary directory: a unit directory and config
 * directory, the invoking user (this process's account, with a home of its own here), real key and
 * known_hosts files, and fakes for systemd, the journal and the bastions. Nothing runs, nothing listens.
 */
public final class TestMachine {
    /** The moment the fixed clock shows. */
    public static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private final Path root;
    private final ServiceUser user;
    private final SystemLayout layout;
    private final FakeServiceManager services = new FakeServiceManager();
    private final FakeJournal journal = new FakeJournal();
    private final FakeBastionNetwork network = new FakeBastionNetwork();
    /** How setup finds the target answering: as one that greets, unless a test says otherwise. */
    private TargetProtocol targets = target -> new TargetProtocol.Detected(ProbeKind.GREETING, target + " greets");
    private final FakeRunner runner;
    private Set<String> programs = Set.of("systemctl", "autossh", "ssh", "ssh-keyscan", "ssh-keygen");
    private Optional<ToolInstallation> installation = Optional.empty();
    private FileOwners codeOwners = rootOwned();

    public TestMachine(Path root) {
        this.root = root;
        try {
            Path home = Files.createDirectories(root.resolve("home"));
            Files.createDirectories(root.resolve("units"));
            int uid = (Integer) Files.getAttribute(home, "unix:uid");
            this.user = new ServiceUser(System.getProperty("user.name"), uid, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.layout = new SystemLayout(root.resolve("units"), root.resolve("config"), root.resolve("locks"));
        this.runner = new FakeRunner(this::answer);
    }

    public Path root() {
        return root;
    }

    public ServiceUser user() {
        return user;
    }

    public SystemLayout layout() {
        return layout;
    }

    public FakeServiceManager services() {
        return services;
    }

    public FakeJournal journal() {
        return journal;
    }

    /** Setup will find every target answering as {@code kind}. */
    public TestMachine targetsAnswerAs(ProbeKind kind) {
        targets = target -> new TargetProtocol.Detected(kind, target + " answers as " + kind.label());
        return this;
    }

    public FakeBastionNetwork network() {
        return network;
    }

    public FakeRunner runner() {
        return runner;
    }

    /** Looks accounts up through the fake runner: only {@link #user()} exists. */
    public Users users() {
        return new Users(runner, Map.of());
    }

    /** The programs this machine has, by name (all of systemd, autossh and OpenSSH's unless told otherwise). */
    public TestMachine withPrograms(String... names) {
        programs = Set.of(names);
        return this;
    }

    /** Finds the programs this machine has, under {@code /usr/bin}. */
    public Programs programs() {
        return new Programs("") {
            @Override
            public Optional<Path> find(String name) {
                return programs.contains(name) ? Optional.of(Path.of("/usr/bin", name)) : Optional.empty();
            }
        };
    }

    /** Where this tool is installed, as the native engine's unit names it. */
    public TestMachine installedAt(Path launcher, Path javaHome) {
        installation = Optional.of(new ToolInstallation(launcher, javaHome));
        return this;
    }

    /** Who owns the installation's files and directories (by default root, none writable by others). */
    public TestMachine withCodeOwners(FileOwners owners) {
        codeOwners = owners;
        return this;
    }

    /** Every path, as given, owned by root with mode 755: an installation nobody else may change. */
    public static FileOwners rootOwned() {
        return new FileOwners() {
            @Override
            public Path real(Path path) {
                return path;
            }

            @Override
            public Optional<FileOwner> of(Path path) {
                return Optional.of(new FileOwner(0, 0, 0100755));
            }
        };
    }

    public Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    /** The facade over this machine. */
    public ScitexTunnel api() {
        return new ScitexTunnel(layout, runner, programs(), Map.of(), services, journal, network, () -> installation,
                codeOwners, targets, clock());
    }

    /** Writes a fresh ed25519 key without passphrase in the user's {@code ~/.ssh}, mode 600, with its {@code .pub}. */
    public Path key(String name) {
        try {
            Path file = Files.createDirectories(user.home().resolve(".ssh")).resolve(name);
            DemoKeys.generate(file, "test@machine");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code knownHostsName}'s host key to the user's {@code ~/.ssh/known_hosts}, as connecting once does. */
    public String knowsHost(String knownHostsName) {
        try {
            String line = knownHostsName + " " + publicKeyText() + "\n";
            Path file = Files.createDirectories(user.home().resolve(".ssh")).resolve("known_hosts");
            Files.writeString(file, line, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every regular file below the unit and config directories, relative to the root. */
    public List<String> tunnelFiles() {
        try (Stream<Path> files = Stream.concat(walk(layout.unitDirectory()), walk(layout.configDirectory()))) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    /** A host key line's type and blob, as a bastion's would read: a fresh key each time. */
    public static String publicKeyText() {
        try {
            KeyPair pair = org.apache.sshd.common.config.keys.KeyUtils.generateKeyPair("ssh-ed25519", 256);
            return org.apache.sshd.common.config.keys.PublicKeyEntry.toString(pair.getPublic());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stream<Path> walk(Path directory) {
        try {
            return Files.isDirectory(directory) ? Files.walk(directory).toList().stream() : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CommandResult answer(List<String> argv) {
        if (argv.size() == 3 && argv.get(0).equals("getent") && argv.get(1).equals("passwd")) {
            return argv.get(2).equals(user.name())
                    ? new CommandResult(argv, 0, user.name() + ":x:" + user.uid() + ":" + user.uid() + "::"
                            + user.home() + ":/bin/sh\n", "")
                    : new CommandResult(argv, 2, "", "");
        }
        if (argv.get(0).endsWith("ssh-keyscan")) {
            String host = argv.get(argv.size() - 1);
            String port = argv.get(argv.indexOf("-p") + 1);
            String name = port.equals("22") ? host : "[" + host + "]:" + port;
            return new CommandResult(argv, 0, name + " " + publicKeyText() + "\n", "");
        }
        if (argv.get(0).endsWith("ssh-keygen") && argv.contains("-f")) {
            // makes the key as ssh-keygen would: OpenSSH private key, mode 600, and KEY.pub
            try {
                DemoKeys.generate(Path.of(argv.get(argv.indexOf("-f") + 1)), argv.get(argv.indexOf("-C") + 1));
                return new CommandResult(argv, 0, "", "");
            } catch (IOException e) {
                return new CommandResult(argv, 1, "", e.getMessage());
            }
        }
        return new CommandResult(argv, 127, "", argv.get(0) + ": not on this test machine");
    }
}
