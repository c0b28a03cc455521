package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.host.FileOwner;
import io.scitex.tunnel.host.FileOwners;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.setup.PreflightCheck.Outcome;
import io.scitex.tunnel.ssh.BastionCheckException;
import io.scitex.tunnel.ssh.BastionSession;
import io.scitex.tunnel.ssh.HostKeySource;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.ServiceCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setup's order of checks, what it writes and starts, and what it undoes, on a machine made of fakes. */
class SetupTest {
    private static final String BASTION = "tunnel@bastion.example.com";
    private static final String UNIT = "units/autossh-tunnel-2222.service";
    private static final String PINS = "config/2222/known_hosts";

    @TempDir
    Path root;

    private TestMachine machine;
    private Path key;
    private final List<PreflightCheck> reported = new ArrayList<>();

    @BeforeEach
    void machineWithKeyAndKnownBastion() {
        machine = new TestMachine(root);
        key = machine.key("id_ed25519");
        machine.knowsHost("bastion.example.com");
    }

    private SetupRequest.Builder request() {
        return SetupRequest.builder(2222, BASTION).key(key.toString()).verifyWithin(Duration.ofMillis(600));
    }

    private SetupResult setup(SetupRequest request) {
        return machine.api().setup(request, reported::add);
    }

    private List<String> reportedNames() {
        return reported.stream().map(check -> check.name() + " " + check.outcome()).toList();
    }

    @Test
    void checksEverythingInOrderThenWritesStartsAndVerifies() {
        SetupResult result = setup(request().build());

        assertThat(reportedNames()).containsExactly("key PASSED", "programs PASSED", "permission PASSED",
                "target PASSED", "bastion PASSED", "host key PASSED", "login PASSED", "port PASSED", "tunnel PASSED");
        assertThat(machine.network().calls()).containsSubsequence("reach bastion.example.com",
                "login tunnel@bastion.example.com", "listen 2222", "logout", "probe 2222");
        assertThat(machine.services().changes()).containsExactly("daemon-reload", "enable autossh-tunnel-2222.service",
                "restart autossh-tunnel-2222.service");
        assertThat(machine.tunnelFiles()).containsExactly(PINS, UNIT);
        assertThat(result.replaced()).isFalse();
        assertThat(result.engine()).isEqualTo(Engine.AUTOSSH);
        assertThat(result.hostKeys().source()).isEqualTo(HostKeySource.KNOWN_HOSTS);
        assertThat(result.status().health().health()).isEqualTo(Health.UP);
        assertThat(result.spec().serviceUser()).isEqualTo(machine.user().name());
    }

    @Test
    void theUnitRunsAutosshAsTheUserAgainstTheTunnelsOwnPins() throws Exception {
        setup(request().build());

        String unit = Files.readString(root.resolve(UNIT));
        assertThat(unit).contains("User=" + machine.user().name(), "/usr/bin/autossh -M 0 -N",
                "-o StrictHostKeyChecking=yes", "-o UserKnownHostsFile=" + root.resolve(PINS),
                "-o IdentityFile=" + key, "-R 2222:localhost:22", "-l tunnel bastion.example.com");
        assertThat(Files.readString(root.resolve(PINS))).containsPattern("(?m)^bastion.example.com ssh-ed25519 AAAA");
    }

    @Test
    void theLoginTrustsOnlyTheHostKeysAboutToBePinned() throws Exception {
        setup(request().build());

        assertThat(machine.network().lastKnownHostsContent()).isEqualTo(Files.readString(root.resolve(PINS)));
        assertThat(machine.network().lastKnownHosts()).doesNotExist(); // a temporary file, deleted afterwards
    }

    @Test
    void badInputIsRejectedBeforeAnyCheckIsReportedAndNothingIsTouched() {
        assertThatThrownBy(() -> setup(request().key(key + ".pub").build())).isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + key + ".pub is a public key: give the private key, " + key);

        assertThat(reported).isEmpty();
        assertThat(machine.network().calls()).isEmpty();
        assertThat(machine.services().calls()).isEmpty();
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void aMissingDedicatedKeySaysHowToMakeOne() {
        assertThatThrownBy(() -> setup(SetupRequest.builder(2222, BASTION).build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("scitex-tunnel keygen -p 2222");
    }

    @Test
    void aPassphraseFileNeedsTheNativeEngine() {
        assertThatThrownBy(() -> setup(request().passphraseFile("/p").build())).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--passphrase-file needs --engine native");
    }

    @Test
    void aTakenPortStopsSetupAtThatCheckAndWritesNothing() {
        machine.network().portTaken(2222);

        assertThatThrownBy(() -> setup(request().build())).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("port 2222 is taken on the bastion");

        assertThat(reportedNames()).endsWith("login PASSED", "port FAILED");
        assertThat(machine.services().changes()).isEmpty();
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void anUnreachableBastionStopsSetupBeforeAnyLogin() {
        machine.network().unreachable("bastion bastion.example.com does not resolve");

        assertThatThrownBy(() -> setup(request().build())).hasMessage("bastion bastion.example.com does not resolve");

        assertThat(reportedNames()).endsWith("permission PASSED", "target PASSED", "bastion FAILED");
        assertThat(machine.network().calls()).containsExactly("reach bastion.example.com");
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void aRefusedKeyStopsSetupAtTheLogin() {
        machine.network().refusingLogin(new BastionCheckException(BastionSession.Step.AUTHENTICATE,
                "tunnel@bastion.example.com does not accept the key: No more authentication methods available", null));

        assertThatThrownBy(() -> setup(request().build())).hasMessageContaining("does not accept the key");

        assertThat(reportedNames()).endsWith("host key PASSED", "login FAILED");
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void anUnknownHostKeyStopsSetupUnlessAcceptNewFetchesAndPinsIt() {
        SetupRequest unknown = SetupRequest.builder(2222, "tunnel@other.example.com").key(key.toString())
                .verifyWithin(Duration.ofMillis(600)).build();

        assertThatThrownBy(() -> setup(unknown)).isInstanceOf(TunnelException.class).hasMessageContaining("--accept-new");
        assertThat(reportedNames()).endsWith("host key FAILED");
        assertThat(machine.tunnelFiles()).isEmpty();

        SetupResult result = setup(unknown.toBuilder().acceptNew(true).build());
        assertThat(result.hostKeys().source()).isEqualTo(HostKeySource.FETCHED);
        assertThat(machine.runner().commands()).anyMatch(argv -> argv.get(0).endsWith("ssh-keyscan"));
    }

    @Test
    void missingAutosshIsReportedWithTheInstallCommand() {
        machine.withPrograms("systemctl", "ssh", "ssh-keyscan");

        assertThatThrownBy(() -> setup(request().build())).hasMessageStartingWith("autossh is missing: install autossh");
        assertThat(reportedNames()).containsExactly("key PASSED", "programs FAILED");
    }

    @Test
    void withoutSystemdSetupFailsAtTheProgramsCheck() {
        machine.services().notRunning();

        assertThatThrownBy(() -> setup(request().build())).hasMessageStartingWith("systemd is missing");
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void noCheckSkipsTheNetworkAndTheWaitButStillWritesAndStarts() {
        setup(request().networkChecks(false).build());

        assertThat(reportedNames()).containsExactly("key PASSED", "programs PASSED", "permission PASSED",
                "target PASSED", "host key PASSED", "network SKIPPED", "tunnel SKIPPED");
        assertThat(machine.network().calls()).isEmpty();
        assertThat(machine.tunnelFiles()).containsExactly(PINS, UNIT);
    }

    @Test
    void replacingARunningTunnelSaysSoAndDoesNotAskForItsOwnPort() {
        setup(request().build());
        reported.clear();

        SetupResult again = setup(request().target("localhost:2022").build());

        assertThat(again.replaced()).isTrue();
        assertThat(reported).filteredOn(check -> check.name().equals("port")).singleElement()
                .satisfies(check -> {
                    assertThat(check.outcome()).isEqualTo(Outcome.SKIPPED);
                    assertThat(check.detail()).isEqualTo("port 2222 is held by the tunnel being replaced");
                });
    }

    @Test
    void aMaskedUnitStopsSetupAtThePermissionCheckUnlessForced() throws Exception {
        Path unit = Files.createSymbolicLink(root.resolve(UNIT), Path.of("/dev/null"));

        assertThatThrownBy(() -> setup(request().build())).isInstanceOf(TunnelException.class)
                .hasMessage("autossh-tunnel-2222.service is masked (" + unit + " is a link to /dev/null or empty):"
                        + " someone forbade this unit; unmask it first (sudo systemctl unmask"
                        + " autossh-tunnel-2222.service), or replace the mask with --force");
        assertThat(reportedNames()).endsWith("programs PASSED", "permission FAILED");
        assertThat(machine.network().calls()).isEmpty();
        assertThat(machine.services().changes()).isEmpty();
        assertThat(Files.readSymbolicLink(unit)).isEqualTo(Path.of("/dev/null"));

        SetupResult forced = setup(request().force(true).build());

        assertThat(Files.isSymbolicLink(unit)).isFalse();
        assertThat(Files.readString(unit)).contains("ExecStart=/usr/bin/autossh");
        assertThat(forced.replaced()).as("a mask is no tunnel").isFalse();
    }

    @Test
    void aFailedStartPutsBackThePreviousUnitAndPins() throws Exception {
        setup(request().build());
        String oldUnit = Files.readString(root.resolve(UNIT));
        String oldPins = Files.readString(root.resolve(PINS));
        machine.services().failing("restart", "Unit autossh-tunnel-2222.service failed to start");

        assertThatThrownBy(() -> setup(request().target("localhost:2022").build())).isInstanceOf(TunnelException.class)
                .hasMessage("setup failed and was undone: systemctl restart failed: Unit autossh-tunnel-2222.service"
                        + " failed to start");

        assertThat(Files.readString(root.resolve(UNIT))).isEqualTo(oldUnit);
        assertThat(Files.readString(root.resolve(PINS))).isEqualTo(oldPins);
    }

    @Test
    void aFailedFirstStartLeavesNoTraceBehind() {
        machine.services().failing("enable", "Access denied");

        assertThatThrownBy(() -> setup(request().build())).hasMessageStartingWith("setup failed and was undone:");

        assertThat(machine.tunnelFiles()).isEmpty();
        assertThat(machine.services().changes()).containsSubsequence("enable autossh-tunnel-2222.service",
                "disable --now autossh-tunnel-2222.service", "daemon-reload");
    }

    @Test
    void aTunnelThatDoesNotComeUpFailsWithTheReasonAndStaysForStatus() {
        machine.network().probing(2222, new ProbeOutcome(ProbeOutcome.Result.FORWARD_MISSING,
                "nothing listens on localhost:2222 on the bastion", Duration.ofMillis(20)));

        assertThatThrownBy(() -> setup(request().build())).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("the tunnel did not come up within 0 s: ")
                .hasMessageContaining("nothing listens on localhost:2222")
                .hasMessageEndingWith("the unit stays for `scitex-tunnel status` and `scitex-tunnel logs -p 2222`"
                        + " (--rollback removes it instead)");

        assertThat(reportedNames()).endsWith("tunnel FAILED");
        assertThat(machine.tunnelFiles()).containsExactly(PINS, UNIT);
    }

    @Test
    void rollbackRemovesATunnelThatDoesNotComeUp() {
        machine.network().probing(2222, new ProbeOutcome(ProbeOutcome.Result.FORWARD_MISSING,
                "nothing listens on localhost:2222 on the bastion", Duration.ofMillis(20)));

        assertThatThrownBy(() -> setup(request().rollback(true).build()))
                .hasMessageEndingWith("; removed it again (--rollback)");

        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void aSecondSetupOfThePortWaitsUntilTheFirstIsDoneAndThenReplacesItWhole() throws Exception {
        machine.knowsHost("other.example.com");
        CountDownLatch restarting = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        machine.services().pausingOnce("restart", restarting, proceed);
        ScitexTunnel api = machine.api(); // one per process, as the CLI has
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<SetupResult> first = threads.submit(() -> api.setup(request().networkChecks(false).build()));
            assertThat(restarting.await(30, TimeUnit.SECONDS)).as("the first setup starts its unit").isTrue();
            String firstPins = Files.readString(root.resolve(PINS));
            Future<SetupResult> second = threads.submit(() -> api.setup(SetupRequest.builder(2222,
                    "tunnel@other.example.com").key(key.toString()).networkChecks(false).build()));

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                    !second.isDone() && Files.readString(root.resolve(PINS)).equals(firstPins)
                            && !Files.readString(root.resolve(UNIT)).contains("other.example.com"));
            proceed.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS).replaced()).isFalse();
            assertThat(second.get(30, TimeUnit.SECONDS).replaced()).as("it replaced the first, whole").isTrue();
        } finally {
            proceed.countDown();
            threads.shutdownNow();
        }
        assertThat(Files.readString(root.resolve(UNIT))).contains("-l tunnel other.example.com")
                .doesNotContain("bastion.example.com");
        assertThat(Files.readString(root.resolve(PINS))).containsPattern("(?m)^other\\.example\\.com ssh-ed25519 ")
                .doesNotContain("bastion.example.com");
        assertThat(machine.services().changes()).containsExactly("daemon-reload", "enable autossh-tunnel-2222.service",
                "restart autossh-tunnel-2222.service", "daemon-reload", "enable autossh-tunnel-2222.service",
                "restart autossh-tunnel-2222.service");
    }

    @Test
    void theNativeEngineNeedsAnInstalledLauncher() {
        assertThatThrownBy(() -> setup(request().engine(Engine.NATIVE).build())).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("the native engine runs through the scitex-tunnel launcher, and none was found");
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void theNativeEnginesUnitRunsTheInstalledLauncherWithItsJava() throws Exception {
        machine.installedAt(Path.of("/opt/scitex-tunnel/bin/scitex-tunnel"), Path.of("/opt/jdk"))
                .withPrograms("systemctl");

        SetupResult result = setup(request().engine(Engine.NATIVE).build());

        assertThat(result.engine()).isEqualTo(Engine.NATIVE);
        assertThat(reported.get(1).detail()).isEqualTo("systemd is running; the native engine needs nothing else");
        assertThat(Files.readString(root.resolve(UNIT))).contains(
                "ExecStart=/opt/scitex-tunnel/bin/scitex-tunnel run -p 2222 -b tunnel@bastion.example.com",
                "Environment=SCITEX_TUNNEL_JAVA=/opt/jdk/bin/java");
    }

    /** The one rule for what a native unit may run (unit.ServiceCode) is applied before anything is written. */
    @Test
    void aLauncherSomeoneElseMayChangeIsRefusedForTheNativeEngineAndNothingIsWritten() {
        machine.installedAt(Path.of("/srv/co/bin/scitex-tunnel"), Path.of("/opt/jdk")).withPrograms("systemctl")
                .withCodeOwners(new FileOwners() {
                    @Override
                    public Path real(Path path) {
                        return path;
                    }

                    @Override
                    public Optional<FileOwner> of(Path path) {
                        return Optional.of(new FileOwner(path.equals(Path.of("/srv/co")) ? 4242 : 0, 0, 0040755));
                    }
                });

        assertThatThrownBy(() -> setup(request().engine(Engine.NATIVE).build())).isInstanceOf(InvalidInputException.class)
                .hasMessage("the native engine's service (as " + machine.user().name() + ") would run"
                        + " /srv/co/bin/scitex-tunnel, and /srv/co belongs to uid 4242, who could change what it runs: "
                        + ServiceCode.INSTALL_THE_PACKAGE);
        assertThat(machine.tunnelFiles()).isEmpty();
        assertThat(machine.services().changes()).isEmpty();
        assertThat(reported).isEmpty();
    }

    /**
     * systemd reads LoadCredential= as root at every start: the unit loads root's own copy of the passphrase,
     * never the user's file, which the user could later turn into a link to a file only root may read. The
     * user's file is only recorded, in a key systemd ignores, for export.
     */
    @Test
    void thePassphraseIsCopiedToARootOnlyFileWhichTheUnitLoads() throws Exception {
        machine.installedAt(Path.of("/opt/scitex-tunnel/bin/scitex-tunnel"), Path.of("/opt/jdk"))
                .withPrograms("systemctl");
        Path protectedKey = OpenSsh.generate(machine.user().home().resolve(".ssh/protected"), "ed25519", "pass phrase");
        Path passphrase = Files.writeString(machine.user().home().resolve(".ssh/protected.passphrase"),
                "pass phrase\nsecond line\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));

        setup(request().key(protectedKey.toString()).engine(Engine.NATIVE).passphraseFile(passphrase.toString()).build());

        Path copy = root.resolve("config/2222/passphrase");
        String unit = Files.readString(root.resolve(UNIT));
        assertThat(unit).contains("LoadCredential=passphrase:" + copy + "\n").doesNotContain("pass phrase");
        assertThat(unit.lines().filter(line -> line.contains(passphrase.toString())))
                .containsExactly("X-ScitexTunnelPassphraseFrom=" + passphrase);
        assertThat(Files.readString(copy)).isEqualTo("pass phrase\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        assertThat(reported.get(0).detail()).contains("with its passphrase in " + passphrase + " (copied to " + copy);
        assertThat(machine.tunnelFiles()).containsExactly(PINS, "config/2222/passphrase", UNIT);

        machine.api().remove(2222);
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void aPassphraseFileOthersMayReadIsRefusedAndNothingIsWritten() throws Exception {
        machine.installedAt(Path.of("/opt/scitex-tunnel/bin/scitex-tunnel"), Path.of("/opt/jdk"));
        Path protectedKey = OpenSsh.generate(machine.user().home().resolve(".ssh/protected"), "ed25519", "pass phrase");
        Path passphrase = Files.writeString(machine.user().home().resolve(".ssh/protected.passphrase"), "pass phrase\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> setup(request().key(protectedKey.toString()).engine(Engine.NATIVE)
                .passphraseFile(passphrase.toString()).build())).isInstanceOf(InvalidInputException.class)
                .hasMessage("passphrase file " + passphrase + " is accessible by group or others: chmod 600 " + passphrase);
        assertThat(machine.tunnelFiles()).isEmpty();
    }
}
