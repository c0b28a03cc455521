package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.Finding;
import io.scitex.tunnel.model.Finding.Severity;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.ssh.PrivateKeyCheck;
import io.scitex.tunnel.testing.FakeBastionNetwork;
import io.scitex.tunnel.testing.FakeJournal;
import io.scitex.tunnel.testing.FakePasswd;
import io.scitex.tunnel.testing.FakeServiceManager;
import io.scitex.tunnel.testing.TunnelUnits;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DoctorTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T01:00:00Z"), ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final String KEY_OK = "private, mode 600, owned by the service user, no passphrase";
    private static final String SANDBOX = "the unit is not sandboxed (written by another tool or an older version)";

    @TempDir
    Path dir;

    /** The service user: whoever owns the files this test makes, so that a key of theirs passes the owner check. */
    private String me;
    private Path home;
    private Path rootHome;
    private FakePasswd passwd;
    private TunnelUnits units;
    private final FakeServiceManager services = new FakeServiceManager();
    private final FakeBastionNetwork network = new FakeBastionNetwork();

    @BeforeEach
    void machine() throws Exception {
        me = Files.getOwner(dir).getName();
        home = Files.createDirectories(dir.resolve("home/" + me));
        rootHome = me.equals("root") ? home : Files.createDirectories(dir.resolve("root"));
        passwd = new FakePasswd().user(me, home).user("root", rootHome);
        units = new TunnelUnits(dir.resolve("etc/systemd/system"));
        // units that name no known_hosts file are probed against the user's own, as ssh would
        Files.writeString(Files.createDirectories(home.resolve(".ssh")).resolve("known_hosts"),
                "bastion.example.com ssh-ed25519 AAAA\n");
    }

    /** The start of an OpenSSH private key encrypted with {@code cipher} ({@code none}: no passphrase). */
    private static String opensshKey(String cipher) {
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
        for (String word : List.of(cipher, cipher.equals("none") ? "none" : "bcrypt")) {
            blob.writeBytes(ByteBuffer.allocate(4).putInt(word.length()).array());
            blob.writeBytes(word.getBytes(StandardCharsets.US_ASCII));
        }
        blob.writeBytes(new byte[48]);
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Base64.getMimeEncoder(70, new byte[] {'\n'})
                .encodeToString(blob.toByteArray()) + "\n-----END OPENSSH PRIVATE KEY-----\n";
    }

    private Path key(String name, String mode, String content) throws Exception {
        Path key = Files.createDirectories(home.resolve(".ssh")).resolve(name);
        Files.writeString(key, content);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
        return key;
    }

    private Path goodKey() throws Exception {
        return key("id_ed25519", "rw-------", opensshKey("none"));
    }

    private Path pins(int port) throws Exception {
        Path file = Files.createDirectories(dir.resolve("etc/scitex-tunnel/" + port)).resolve("known_hosts");
        return Files.writeString(file, "bastion.example.com ssh-ed25519 AAAA\n");
    }

    /** A unit as setup writes it (sandboxed), whose service is active. */
    private void setupUnit(int port, Path key) throws Exception {
        units.autossh(TunnelUnits.spec(port, "user@bastion.example.com", key, me), pins(port));
        services.state(port, "active", "running");
    }

    /** A unit without the sandbox, forwarding {@code -R forward}, run as the service user, whose service is active. */
    private void plainUnit(int port, Path key, String forward) {
        units.handWritten(port, me, "/usr/bin/autossh -M 0 -N -o \"ServerAliveInterval 30\" -R " + forward
                + " user@bastion.example.com -i " + key);
        services.state(port, "active", "running");
    }

    /** The tunnel checked end to end, as doctor gets it, then diagnosed. */
    private Diagnosis diagnose(int port) {
        ProbeTargets targets = new ProbeTargets(passwd.users());
        InstalledTunnel checked = new HealthCheck(new ServiceStates(units.directory(), services, CLOCK), targets, network,
                new FakeJournal(), CLOCK).of(port, TIMEOUT);
        Diagnosis diagnosis = new Doctor(targets, network).diagnose(checked);
        assertThat(diagnosis.status()).isEqualTo(checked.status());
        return diagnosis;
    }

    private static Finding finding(Diagnosis diagnosis, String subject) {
        List<Finding> found = diagnosis.findings().stream().filter(f -> f.subject().equals(subject)).toList();
        assertThat(found).as("findings about the %s", subject).hasSize(1);
        return found.get(0);
    }

    private static List<String> summary(Diagnosis diagnosis) {
        return diagnosis.findings().stream().map(f -> f.severity() + " " + f.subject() + ": " + f.text()).toList();
    }

    /** What PrivateKeyCheck says about {@code key} for the service user. */
    /** The service user as the real account: keys are read with its rights. */
    private ServiceUser machineUser() {
        try {
            return new ServiceUser(me, (Integer) Files.getAttribute(home, "unix:uid"), home);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String keyCheckSays(Path key) {
        ServiceUser user = machineUser();
        return assertThatThrownBy(() -> PrivateKeyCheck.check(key, user)).isInstanceOf(InvalidInputException.class)
                .actual().getMessage();
    }

    @Test
    void aSoundTunnelHasNothingToFix() throws Exception {
        setupUnit(2222, goodKey());

        Diagnosis diagnosis = diagnose(2222);

        assertThat(summary(diagnosis)).containsExactly(
                "OK service: autossh-tunnel-2222.service is active, restarted 0 times",
                "OK key: " + KEY_OK,
                "OK bastion: reachable",
                "OK tunnel: works end to end: " + FakeBastionNetwork.up().detail());
        assertThat(diagnosis.healthy()).isTrue();
        assertThat(network.calls()).containsExactly("probe 2222", "reach bastion.example.com");
    }

    @Test
    void aKeyOthersMayReadIsTheProblemPrivateKeyCheckNames() throws Exception {
        Path key = key("id_ed25519", "rw-r--r--", opensshKey("none"));
        setupUnit(2222, key);

        Diagnosis diagnosis = diagnose(2222);

        Finding finding = finding(diagnosis, "key");
        assertThat(finding.severity()).isEqualTo(Severity.PROBLEM);
        assertThat(finding.text()).isEqualTo("key " + key + " is accessible by group or others, and ssh refuses such"
                + " keys: chmod 600 " + key);
        assertThat(finding.fix()).isEqualTo("see the message");
        assertThat(diagnosis.healthy()).isFalse();
        assertThat(finding(diagnosis, "bastion").text()).isEqualTo("reachable");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"missing", "public key", "not a key", "passphrase", "directory", "group writable"})
    void everyKeyProblemIsReportedAsPrivateKeyCheckSaysIt(String problem) throws Exception {
        Path key = switch (problem) {
            case "missing" -> home.resolve(".ssh/absent");
            case "public key" -> key("id_ed25519.pub", "rw-------", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA me@host\n");
            case "not a key" -> key("notes", "rw-------", "remember the milk\n");
            case "passphrase" -> key("id_ed25519", "rw-------", opensshKey("aes256-ctr"));
            case "directory" -> Files.createDirectories(home.resolve(".ssh/keys"));
            default -> key("id_ed25519", "rw--w----", opensshKey("none"));
        };
        setupUnit(2222, key);

        Finding finding = finding(diagnose(2222), "key");

        assertThat(finding.severity()).isEqualTo(Severity.PROBLEM);
        assertThat(finding.text()).isEqualTo(keyCheckSays(key)).contains(key.toString());
    }

    @Test
    void anUnreachableBastionIsAProblemWithWhatTheNetworkSaid() throws Exception {
        setupUnit(2222, goodKey());
        network.unreachable("cannot resolve bastion.example.com: Name or service not known")
                .probing(2222, new ProbeOutcome(ProbeOutcome.Result.BASTION_UNREACHABLE,
                        "cannot reach the bastion bastion.example.com: Name or service not known", Duration.ofMillis(3)));

        Diagnosis diagnosis = diagnose(2222);

        Finding bastion = finding(diagnosis, "bastion");
        assertThat(bastion.severity()).isEqualTo(Severity.PROBLEM);
        assertThat(bastion.text()).isEqualTo("cannot resolve bastion.example.com: Name or service not known");
        assertThat(bastion.fix()).isEqualTo("check the bastion's name, that its sshd runs, and firewalls on the way");
        assertThat(finding(diagnosis, "key").text()).isEqualTo(KEY_OK);
        assertThat(diagnosis.healthy()).isFalse();
    }

    @ParameterizedTest(name = "-R {0}")
    @CsvSource(nullValues = "NONE", value = {
        "0.0.0.0:2222:localhost:22,     0.0.0.0",
        "*:2222:localhost:22,           *",
        "192.0.2.7:2222:localhost:22,   192.0.2.7",
        "[::]:2222:localhost:22,        [::]",
        "127.0.0.1:2222:localhost:22,   NONE",
        "localhost:2222:localhost:22,   NONE",
        "[::1]:2222:localhost:22,       NONE",
        ":2222:localhost:22,            NONE",
        "2222:localhost:22,             NONE"})
    void anUnsandboxedUnitAndABindAddressBeyondLoopbackAreAdvice(String forward, String bind) throws Exception {
        plainUnit(2222, goodKey(), forward);

        Diagnosis diagnosis = diagnose(2222);

        List<Finding> advice = diagnosis.findings().stream().filter(f -> f.severity() == Severity.ADVICE).toList();
        Finding sandbox = new Finding(Severity.ADVICE, "unit", SANDBOX,
                "run `scitex-tunnel setup` for port 2222 again to replace it with a hardened unit");
        if (bind == null) {
            assertThat(advice).containsExactly(sandbox);
        } else {
            assertThat(advice).containsExactly(new Finding(Severity.ADVICE, "bastion",
                    "the unit asks the bastion to listen on " + bind + ", not only on its loopback",
                    "the bastion needs GatewayPorts clientspecified in sshd_config for that; otherwise it listens on"
                            + " loopback only"), sandbox);
        }
        assertThat(diagnosis.healthy()).as("advice only").isTrue();
        assertThat(finding(diagnosis, "key").text()).isEqualTo(KEY_OK);
    }

    @Test
    void aSetupUnitIsSandboxedAndBindsNothingBeyondLoopback() throws Exception {
        setupUnit(2222, goodKey());

        assertThat(diagnose(2222).findings()).noneMatch(f -> f.severity() == Severity.ADVICE);
    }

    @Test
    void aPythonToolsUnitIsUnsandboxedAndItsKeyIsCheckedForRoot() throws Exception {
        units.python(2226, "-M 0 -o \"ServerAliveInterval 30\" -NR 2226:localhost:22 user@bastion.example.com"
                + " -i " + rootHome.resolve(".ssh/id_rsa"));
        services.state(2226, "active", "running");

        Diagnosis diagnosis = diagnose(2226);

        assertThat(finding(diagnosis, "unit").text()).isEqualTo(SANDBOX);
        assertThat(finding(diagnosis, "key").text()).isEqualTo("key " + rootHome.resolve(".ssh/id_rsa")
                + " does not exist: give the private key file with -s KEY");
        assertThat(passwd.lookups()).contains("root");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no key            | the unit names no key (-i KEY or -o IdentityFile=KEY), so there is none to probe with",
        "no bastion        | the unit names no bastion",
        "unknown user      | cannot look up the service user ghost: no such user: ghost"})
    void aTunnelThatCannotBeProbedHasItsReasonAsTheKeyProblem(String problem, String why) throws Exception {
        switch (problem) {
            case "no key" -> units.handWritten(2222, me, "/usr/bin/autossh -M 0 -N -R 2222:localhost:22 bastion.example.com");
            case "no bastion" -> units.handWritten(2222, me, "/usr/bin/autossh -M 0 -N -i " + goodKey()
                    + " -R 2222:localhost:22");
            default -> units.handWritten(2222, "ghost", "/usr/bin/autossh -M 0 -N -i " + goodKey()
                    + " -R 2222:localhost:22 bastion.example.com");
        }
        services.state(2222, "active", "running");

        Diagnosis diagnosis = diagnose(2222);

        Finding key = finding(diagnosis, "key");
        assertThat(key.severity()).isEqualTo(Severity.PROBLEM);
        assertThat(key.text()).isEqualTo(why);
        assertThat(diagnosis.healthy()).isFalse();
    }

    @Test
    void aServiceThatIsNotRunningIsTheFirstProblem() throws Exception {
        setupUnit(2222, goodKey());
        services.state(2222, "failed", "failed");

        Diagnosis diagnosis = diagnose(2222);

        assertThat(diagnosis.findings().get(0)).isEqualTo(new Finding(Severity.PROBLEM, "service",
                "autossh-tunnel-2222.service is failed (failed)",
                "sudo systemctl restart autossh-tunnel-2222.service; see `scitex-tunnel logs -p 2222`"));
        assertThat(finding(diagnosis, "key").text()).as("the rest is looked at all the same").isEqualTo(KEY_OK);
        assertThat(network.calls()).containsExactly("reach bastion.example.com");
    }

    @Test
    void theKeyIsCheckedWhereTheUnitSaysExpandedForTheServiceUser() throws Exception {
        goodKey();
        plainUnit(2222, Path.of("~/.ssh/id_ed25519"), "2222:localhost:22");

        assertThat(finding(diagnose(2222), "key").text()).isEqualTo(KEY_OK);
    }

    @Test
    void aNativeUnitWithoutPassphraseIsCheckedLikeAnyOther() throws Exception {
        Path key = goodKey();
        units.nativeEngine(TunnelUnits.spec(2222, "bastion.example.com", key, me), pins(2222), Optional.empty());
        services.state(2222, "active", "running");

        Diagnosis diagnosis = diagnose(2222);

        assertThat(finding(diagnosis, "key").text()).isEqualTo(KEY_OK);
        assertThat(finding(diagnosis, "bastion").text()).isEqualTo("reachable");
        assertThat(diagnosis.findings()).noneMatch(f -> f.severity() == Severity.ADVICE);
    }

    @Test
    void aPassphraseKeyTheNativeEngineHasThePassphraseOfIsUsable() throws Exception {
        Path key = key("id_ed25519", "rw-------", opensshKey("aes256-ctr"));
        Path passphrase = key("tunnel.passphrase", "rw-------", "secret\n");
        units.nativeEngine(TunnelUnits.spec(2222, "bastion.example.com", key, me), pins(2222), Optional.of(passphrase));
        services.state(2222, "active", "running");

        Finding finding = finding(diagnose(2222), "key");

        // setup accepts this key for the native engine with a passphrase file (it checks with passphraseAllowed)
        assertThat(finding.text()).doesNotContain("protected by a passphrase, which a service cannot type");
        assertThat(finding.severity()).isEqualTo(Severity.OK);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no key", "unknown user"})
    void aBastionIsLookedAtEvenWhenTheTunnelCannotBeProbed(String problem) throws Exception {
        if (problem.equals("no key")) {
            units.handWritten(2222, me, "/usr/bin/autossh -M 0 -N -R 2222:localhost:22 bastion.example.com");
        } else {
            units.handWritten(2222, "ghost", "/usr/bin/autossh -M 0 -N -i " + goodKey()
                    + " -R 2222:localhost:22 bastion.example.com");
        }
        services.state(2222, "active", "running");
        network.unreachable("cannot resolve bastion.example.com: Name or service not known");

        Finding bastion = finding(diagnose(2222), "bastion");

        // whether doctor then reaches the bastion the unit names or says it did not look: it is not reachable
        assertThat(bastion).isNotEqualTo(new Finding(Severity.OK, "bastion", "reachable", ""));
    }

    @Test
    void aUnitWhoseKeyPathCannotBeAPathDoesNotStopTheDiagnosis() throws Exception {
        units.text(2222, "[Service]\nUser=" + me + "\nExecStart=/usr/bin/autossh -M 0 -N -i /keys/a\\x00b"
                + " -R 2222:localhost:22 bastion.example.com\n");
        services.state(2222, "active", "running");

        // the check takes the same unit in its stride: it cannot be probed, and says why
        assertThat(diagnose(2222).findings()).anySatisfy(f -> assertThat(f.subject()).isEqualTo("key"));
    }
}
