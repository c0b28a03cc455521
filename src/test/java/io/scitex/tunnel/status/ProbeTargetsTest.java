package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.ssh.ForwardProbe;
import io.scitex.tunnel.testing.FakePasswd;
import io.scitex.tunnel.testing.FakeRunner;
import io.scitex.tunnel.testing.FakeServiceManager;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.testing.TunnelUnits;
import io.scitex.tunnel.unit.InstalledUnit;
import io.scitex.tunnel.unit.RunCommandLine;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProbeTargetsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T01:00:00Z"), ZoneOffset.UTC);
    private static final Path SYSTEM_KNOWN_HOSTS = Path.of("/etc/ssh/ssh_known_hosts");

    @TempDir
    Path dir;

    private Path alice;
    private Path bob;
    private Path root;
    private FakePasswd passwd;
    private TunnelUnits units;
    private ProbeTargets targets;

    @BeforeEach
    void machine() throws Exception {
        alice = Files.createDirectories(dir.resolve("home/alice"));
        bob = Files.createDirectories(dir.resolve("home/bob"));
        root = Files.createDirectories(dir.resolve("root"));
        passwd = new FakePasswd().user("alice", alice).user("bob", bob).user("root", root);
        units = new TunnelUnits(dir.resolve("etc/systemd/system"));
        targets = new ProbeTargets(passwd.users());
    }

    /** The tunnel on {@code port} as a status look reads it. */
    private InstalledTunnel tunnel(int port) {
        return new ServiceStates(units.directory(), new FakeServiceManager(), CLOCK).read(port);
    }

    private ForwardProbe.Tunnel probe(int port) {
        return targets.of(tunnel(port), new HashMap<>());
    }

    private Path pins(int port) throws Exception {
        Path file = dir.resolve("etc/scitex-tunnel/" + port + "/known_hosts");
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "bastion.example.com ssh-ed25519 AAAA\n");
    }

    private static Path touch(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "");
    }

    @Test
    void aSetupUnitGivesEverythingToProbeWith() throws Exception {
        Path key = alice.resolve(".ssh/id_ed25519");
        units.autossh(TunnelUnits.spec(2222, "tunnel@bastion.example.com:2200", key, "alice", "localhost:8022"), pins(2222));

        assertThat(probe(2222)).isEqualTo(new ForwardProbe.Tunnel(2222, BastionAddress.parse("tunnel@bastion.example.com:2200"),
                "tunnel", key, pins(2222), Optional.of(TargetAddress.parse("localhost:8022")), Optional.empty()));
    }

    @Test
    void aNativeUnitGivesItsPassphraseCredentialToo() throws Exception {
        Path key = alice.resolve(".ssh/id_ed25519");
        Path passphrase = alice.resolve(".ssh/tunnel.passphrase");
        units.nativeEngine(TunnelUnits.spec(2222, "bastion.example.com", key, "alice", "[::1]:8022"), pins(2222),
                Optional.of(passphrase));

        assertThat(probe(2222)).isEqualTo(new ForwardProbe.Tunnel(2222, BastionAddress.parse("bastion.example.com"),
                "alice", key, pins(2222), Optional.of(new TargetAddress("::1", 8022)), Optional.of(passphrase)));
    }

    @ParameterizedTest(name = "{0}, run as {1}: login {2}")
    @CsvSource({
        "tunnel@bastion.example.com,      alice, tunnel",
        "bastion.example.com,             alice, alice",
        "bastion.example.com:2200,        bob,   bob",
        "tunnel@[2001:db8::1]:2200,       bob,   tunnel"})
    void theLoginIsTheBastionUserElseTheServiceUser(String bastion, String user, String login) throws Exception {
        units.autossh(TunnelUnits.spec(2222, bastion, dir.resolve("key"), user), pins(2222));

        ForwardProbe.Tunnel probe = probe(2222);

        assertThat(probe.login()).isEqualTo(login);
        assertThat(probe.bastion()).isEqualTo(BastionAddress.parse(bastion));
    }

    @ParameterizedTest(name = "{0}: login {1}")
    @CsvSource({"user@bastion.example.com, user", "bastion.example.com, root"})
    void aPythonToolsUnitRunsAsRoot(String destination, String login) throws Exception {
        units.python(2226, "-M 0 -o \"ServerAliveInterval 30\" -NR 2226:localhost:22 " + destination
                + " -i /root/.ssh/id_rsa");

        ForwardProbe.Tunnel probe = probe(2226);

        assertThat(probe.login()).isEqualTo(login);
        assertThat(probe.key()).isEqualTo(Path.of("/root/.ssh/id_rsa"));
        assertThat(probe.knownHosts()).as("ssh's default: root's own")
                .isIn(root.resolve(".ssh/known_hosts"), SYSTEM_KNOWN_HOSTS);
        assertThat(probe.target()).contains(TargetAddress.LOCAL_SSHD);
        assertThat(passwd.lookups()).containsExactly("root");
    }

    @ParameterizedTest(name = "{0} -> HOME{1}")
    @CsvSource(delimiter = '|', value = {
        "-i ~/.ssh/id_rsa                    | /.ssh/id_rsa",
        "-i %%d/.ssh/%%u.key                 | /.ssh/alice.key",
        "-o IdentityFile=~/.ssh/first -i ~/x | /.ssh/first",
        "-o \"IdentityFile \\\"~/my keys/k\\\"\" | /my keys/k",
        // unquoted, the space ends the word, as in ssh
        "-o \"IdentityFile ~/my keys/k\"     | /my"})
    void theKeyIsExpandedAsSshExpandsIt(String option, String underHome) {
        units.handWritten(2222, "alice", "/usr/bin/autossh -M 0 -N " + option + " -R 2222:localhost:22 bastion.example.com");

        assertThat(probe(2222).key()).isEqualTo(Path.of(alice + underHome));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-i /keys/%%%%u                      | /keys/%u",
        "-i /keys/%%h                        | /keys/%h",
        "-i /keys/~/k                        | /keys/~/k"})
    void otherTokensAreLeftAsWritten(String option, String key) {
        units.handWritten(2222, "alice", "/usr/bin/autossh -M 0 -N " + option + " -R 2222:localhost:22 bastion.example.com");

        assertThat(probe(2222).key()).isEqualTo(Path.of(key));
    }

    @Test
    void keyPathsWithPercentAndSpacesReadBackAsSetupWroteThemForEitherEngine() throws Exception {
        Path key = Files.createDirectories(alice.resolve("my keys")).resolve("100% tunnel.key");
        units.autossh(TunnelUnits.spec(2222, "bastion.example.com", key, "alice"), pins(2222));
        units.nativeEngine(TunnelUnits.spec(2223, "bastion.example.com", key, "alice"), pins(2223), Optional.empty());

        assertThat(probe(2222).key()).isEqualTo(key);
        assertThat(probe(2223).key()).isEqualTo(key);
    }

    @Test
    void theUnitsKnownHostsFileIsUsedWhenItExists() throws Exception {
        units.autossh(TunnelUnits.spec(2222, "bastion.example.com", dir.resolve("key"), "alice"), pins(2222));
        touch(alice.resolve(".ssh/known_hosts"));

        assertThat(probe(2222).knownHosts()).isEqualTo(pins(2222));
    }

    @Test
    void withoutTheUnitsKnownHostsFileTheServiceUsersOwnIsUsed() throws Exception {
        Path missing = dir.resolve("etc/scitex-tunnel/2222/known_hosts");
        units.autossh(TunnelUnits.spec(2222, "bastion.example.com", dir.resolve("key"), "bob"), missing);
        Path own = touch(bob.resolve(".ssh/known_hosts"));

        assertThat(probe(2222).knownHosts()).isEqualTo(own);
    }

    @Test
    void withNoKnownHostsFileAtAllSshsDefaultsApply() throws Exception {
        units.autossh(TunnelUnits.spec(2222, "bastion.example.com", dir.resolve("key"), "bob"),
                dir.resolve("missing/known_hosts"));

        assertThat(probe(2222).knownHosts()).isEqualTo(Files.exists(SYSTEM_KNOWN_HOSTS) ? SYSTEM_KNOWN_HOSTS
                : bob.resolve(".ssh/known_hosts"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"UserKnownHostsFile /nowhere/known_hosts %%d/.ssh/pins\"  | /.ssh/pins",
        "\"UserKnownHostsFile ~/.ssh/pins-%%u\"                     | /.ssh/pins-alice",
        "UserKnownHostsFile=~/.ssh/pins                             | /.ssh/pins"})
    void theFirstOfTheUnitsKnownHostsFilesThatExistsIsUsedExpandedAsSshExpandsIt(String option, String underHome)
            throws Exception {
        units.handWritten(2222, "alice", "/usr/bin/autossh -M 0 -N -i /keys/k -o " + option
                + " -R 2222:localhost:22 bastion.example.com");
        Path expected = touch(Path.of(alice + underHome));
        touch(alice.resolve(".ssh/known_hosts"));

        assertThat(probe(2222).knownHosts()).isEqualTo(expected);
    }

    @Test
    void ofSeveralKnownHostsFilesThatExistTheFirstIsUsed() throws Exception {
        units.handWritten(2222, "alice", "/usr/bin/autossh -M 0 -N -i /keys/k -o \"UserKnownHostsFile %%d/first"
                + " %%d/second\" -R 2222:localhost:22 bastion.example.com");
        Path first = touch(alice.resolve("first"));
        touch(alice.resolve("second"));

        assertThat(probe(2222).knownHosts()).isEqualTo(first);
    }

    @ParameterizedTest(name = "-R {0}")
    @CsvSource(nullValues = "NONE", value = {
        "2222:localhost:22,              localhost:22",
        "2222:192.168.1.20:3389,         192.168.1.20:3389",
        "0.0.0.0:2222:[fd00::5]:8022,    [fd00::5]:8022",
        "2222:localhost,                 NONE",
        "2222:localhost:99999,           NONE",
        "2222:local_host!:22,            NONE"})
    void theTargetIsReadFromTheForwardWhenItCanBe(String forward, String target) {
        units.handWritten(2222, "alice", "/usr/bin/autossh -M 0 -N -i /keys/k -R " + forward + " bastion.example.com");

        assertThat(probe(2222).target()).isEqualTo(Optional.ofNullable(target).map(TargetAddress::parse));
    }

    @Test
    void eachServiceUsersHomeIsLookedUpOnceAcrossTunnels() throws Exception {
        units.autossh(TunnelUnits.spec(2222, "bastion.example.com", dir.resolve("k1"), "alice"), pins(2222));
        units.autossh(TunnelUnits.spec(2223, "bastion.example.com", dir.resolve("k2"), "bob"), pins(2223));
        units.autossh(TunnelUnits.spec(2224, "bastion.example.com", dir.resolve("k3"), "alice"), pins(2224));
        units.python(2225, "-M 0 -NR 2225:localhost:22 bastion.example.com -i /root/.ssh/id_rsa");
        units.nativeEngine(TunnelUnits.spec(2226, "bastion.example.com", dir.resolve("k4"), "bob"), pins(2226),
                Optional.empty());
        Map<String, Path> homes = new HashMap<>();

        for (int port = 2222; port <= 2226; port++) {
            targets.of(tunnel(port), homes);
        }
        targets.of(tunnel(2222), homes);

        assertThat(passwd.lookups()).containsExactly("alice", "bob", "root");
        assertThat(homes).isEqualTo(Map.of("alice", alice, "bob", bob, "root", root));
    }

    @Test
    void aHomeAlreadyKnownIsNotLookedUpAgain() {
        units.handWritten(2222, "alice", "/usr/bin/autossh -M 0 -N -i ~/k -R 2222:localhost:22 bastion.example.com");

        ForwardProbe.Tunnel probe = targets.of(tunnel(2222), new HashMap<>(Map.of("alice", bob)));

        assertThat(probe.key()).isEqualTo(bob.resolve("k"));
        assertThat(passwd.lookups()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/usr/bin/autossh -M 0 -N -i /keys/k -R 2222:localhost:22",
        "/usr/bin/true",
        "/opt/scitex-tunnel/bin/scitex-tunnel run -p 2222 -s /keys/k"})
    void aUnitThatNamesNoBastionCannotBeProbed(String execStart) {
        units.handWritten(2222, "alice", execStart);

        assertThatThrownBy(() -> probe(2222)).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("the unit names no bastion");
    }

    @Test
    void aUnitThatCannotBeReadNamesNoBastion() {
        units.text(2222, "[Service]\nExecStart=/usr/bin/autossh \\xZZ bastion.example.com\n");

        assertThatThrownBy(() -> probe(2222)).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("the unit names no bastion");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-p 99999 bastion.example.com      | bastion SSH port must be from 1 to 65535, not 99999",
        "-l b@d bastion.example.com        | bastion user 'b@d' is not a valid login name (letters, digits, '.', '_', '-')",
        "bastion..example.com              | bastion host 'bastion..example.com' is not a host name or IP address"})
    void aBastionThatCannotBeReadIsSaid(String destination, String why) {
        units.handWritten(2222, "alice", "/usr/bin/autossh -M 0 -N -i /keys/k -R 2222:localhost:22 " + destination);
        String bastion = tunnel(2222).status().bastion().orElseThrow();
        assertThatThrownBy(() -> BastionAddress.parse(bastion)).isInstanceOf(InvalidInputException.class).hasMessage(why);

        assertThatThrownBy(() -> probe(2222)).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("cannot read the bastion from the unit: " + why);
    }

    @Test
    void aServiceUserThatDoesNotExistIsSaid() {
        units.handWritten(2222, "ghost", "/usr/bin/autossh -M 0 -N -i /keys/k -R 2222:localhost:22 bastion.example.com");

        assertThatThrownBy(() -> probe(2222)).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("cannot look up the service user ghost: no such user: ghost");
        assertThatThrownBy(() -> targets.serviceUser("ghost")).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("cannot look up the service user ghost: no such user: ghost");
    }

    @Test
    void aUnitThatNamesNoKeyCannotBeProbed() {
        units.python(2222, "-M 0 -NR 2222:localhost:22 user@bastion.example.com");

        assertThatThrownBy(() -> probe(2222)).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("the unit names no key (-i KEY or -o IdentityFile=KEY), so there is none to probe with");
    }

    @Test
    void theServiceUserIsLookedUpThroughTheUserDatabase() {
        assertThat(targets.serviceUser("bob")).isEqualTo(new ServiceUser("bob", 1001, bob));
        assertThat(passwd.lookups()).containsExactly("bob");
    }

    /** The files a probe reads as root are checked first as files of the tunnel's service user. */
    @Nested
    class FilesReadAsRoot {
        private static final String ME = System.getProperty("user.name");

        @TempDir
        Path home;

        /** Knows this process's user and nobody, both with their home in the temporary directory. */
        private final ProbeTargets targets = new ProbeTargets(new Users(new FakeRunner(argv -> new CommandResult(argv, 0,
                argv.get(2) + ":x:" + (argv.get(2).equals(ME) ? 0 : 65534) + ":0::" + home + ":/bin/sh\n", "")), Map.of()));

        private InstalledTunnel tunnel(String user, Path key, Optional<Path> passphrase) {
            TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("user@bastion.example.com"))
                    .key(key).serviceUser(user).build();
            Path knownHosts = home.resolve("known_hosts");
            UnitProgram program = new UnitProgram(Engine.NATIVE, RunCommandLine.argv(Path.of("/opt/bin/scitex-tunnel"),
                    spec, knownHosts), List.of(), List.of(), passphrase);
            TunnelStatus status = new TunnelStatus(2222, "autossh-tunnel-2222.service", Optional.of("user@bastion.example.com"),
                    Optional.of("localhost:22"), "active", "running", Optional.empty(), 0, Optional.empty(),
                    TunnelHealth.fromServiceState("active", "running", TestMachine.NOW));
            return new InstalledTunnel(status, InstalledUnit.parse(TunnelUnit.render(spec, program, "test")));
        }

        @Test
        void aKeyOfTheServiceUsersOwnIsProbedAsTheFileItReallyIs() throws Exception {
            Path key = OpenSsh.generate(home.resolve("id"), "ed25519", "");
            Path link = Files.createSymbolicLink(home.resolve("link"), key);

            ForwardProbe.Tunnel probe = targets.of(tunnel(ME, link, Optional.empty()), new HashMap<>());

            assertThat(probe.key()).isEqualTo(key.toRealPath());
        }

        @Test
        void aKeyThatIsNotTheServiceUsersIsNotProbed() throws Exception {
            Path key = OpenSsh.generate(home.resolve("id"), "ed25519", "");
            Path link = Files.createSymbolicLink(home.resolve("link"), key);

            assertThatThrownBy(() -> targets.of(tunnel("nobody", link, Optional.empty()), new HashMap<>()))
                    .isInstanceOf(TunnelException.class)
                    .hasMessage("key " + link + " (a link to " + key.toRealPath() + ") belongs to " + ME
                            + ", not to nobody: give a file of nobody's own");
        }

        @Test
        void aMissingKeyIsLeftForTheProbeToReport() {
            Path key = home.resolve("absent");

            assertThat(targets.of(tunnel(ME, key, Optional.empty()), new HashMap<>()).key()).isEqualTo(key);
        }

        @Test
        void aPassphraseFileMustBeRootsOwnOrTheServiceUsers() throws Exception {
            Path key = OpenSsh.generate(home.resolve("id"), "ed25519", "");
            Path usersCopy = Files.writeString(home.resolve("passphrase"), "x\n");

            assertThat(targets.of(tunnel(ME, key, Optional.of(Path.of("/etc/passwd"))), new HashMap<>()).passphrase())
                    .as("root's own, out of every user's reach").contains(Path.of("/etc/passwd"));
            assertThat(targets.of(tunnel(ME, key, Optional.of(usersCopy)), new HashMap<>()).passphrase()).contains(usersCopy);
            assertThatThrownBy(() -> targets.of(tunnel("nobody", home.resolve("absent"), Optional.of(usersCopy)),
                    new HashMap<>())).isInstanceOf(TunnelException.class)
                    .hasMessage("passphrase file " + usersCopy + " belongs to " + ME + ", not to nobody: chown nobody "
                            + usersCopy);
        }
    }

    @Test
    void onlyThisMachinesOwnSshdIsComparedWithItsHostKeys() {
        for (String host : List.of("localhost", "127.0.0.1", "127.1.2.3", "::1")) {
            assertThat(ProbeTargets.isThisMachinesSshd(new TargetAddress(host, 22))).as(host).isTrue();
        }
        assertThat(ProbeTargets.isThisMachinesSshd(new TargetAddress("127.0.0.1", 8022))).as("a VM's sshd").isFalse();
        assertThat(ProbeTargets.isThisMachinesSshd(new TargetAddress("10.0.0.5", 22))).isFalse();
        assertThat(ProbeTargets.isThisMachinesSshd(new TargetAddress("db.example.com", 22))).isFalse();
    }

}
