package io.scitex.tunnel.status;

import io.scitex.tunnel.model.EngineReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelJournal;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.ssh.ForwardProbe;
import io.scitex.tunnel.testing.FakeBastionNetwork;
import io.scitex.tunnel.testing.FakeJournal;
import io.scitex.tunnel.testing.FakePasswd;
import io.scitex.tunnel.testing.FakeServiceManager;
import io.scitex.tunnel.testing.Fifo;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.testing.TunnelUnits;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HealthCheckTest {
    /** The probes read only files of the service user's own: the tunnels run as whoever runs the tests. */
    private static final String ME = System.getProperty("user.name");
    private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final String UP_DETAIL = FakeBastionNetwork.up().detail();

    @TempDir
    Path dir;

    private Path home;
    private FakePasswd passwd;
    private TunnelUnits units;
    private final FakeServiceManager services = new FakeServiceManager();
    private final FakeBastionNetwork network = new FakeBastionNetwork();
    private final FakeJournal journal = new FakeJournal();

    @BeforeEach
    void machine() throws Exception {
        home = Files.createDirectories(dir.resolve("home/" + ME));
        passwd = new FakePasswd().user(ME, home);
        if (!ME.equals("root")) {
            passwd.user("root", Files.createDirectories(dir.resolve("root")));
        }
        units = new TunnelUnits(dir.resolve("etc/systemd/system"));
    }

    private HealthCheck check() {
        ProbeTargets targets = new ProbeTargets(passwd.users());
        return new HealthCheck(new ServiceStates(units.directory(), services, CLOCK), targets, network, journal, CLOCK);
    }

    /** A tunnel on {@code port} as setup writes it, whose service is in {@code state} ({@code sub}). */
    private void tunnel(int port, String state, String subState) throws Exception {
        Path pins = dir.resolve("etc/scitex-tunnel/" + port + "/known_hosts");
        Files.createDirectories(pins.getParent());
        Files.writeString(pins, "bastion.example.com ssh-ed25519 AAAA\n");
        // the probe reads the key; the fake network only needs it to be there
        Path key = Files.writeString(Files.createDirectories(home.resolve(".ssh")).resolve("id_" + port), "key\n");
        units.autossh(TunnelUnits.spec(port, "user@bastion.example.com", key, ME), pins);
        services.state(port, state, subState);
    }

    private void active(int... ports) throws Exception {
        for (int port : ports) {
            tunnel(port, "active", "running");
        }
    }

    private static Map<Integer, TunnelStatus> byPort(List<InstalledTunnel> tunnels) {
        return tunnels.stream().map(InstalledTunnel::status).collect(Collectors.toMap(TunnelStatus::port, Function.identity()));
    }

    private static ProbeOutcome outcome(Result result) {
        return new ProbeOutcome(result, "the probe says " + result, Duration.ofMillis(30));
    }

    private static List<Integer> ports(List<ForwardProbe.Tunnel> probed) {
        return probed.stream().map(ForwardProbe.Tunnel::port).toList();
    }

    @Test
    void onlyActiveTunnelsAreProbed() throws Exception {
        active(2222);
        tunnel(2223, "inactive", "dead");
        tunnel(2224, "failed", "failed");
        tunnel(2225, "activating", "auto-restart");
        tunnel(2226, "deactivating", "stop-sigterm");
        active(2227);

        Map<Integer, TunnelStatus> checked = byPort(check().all(TIMEOUT));

        assertThat(ports(network.probed())).containsExactly(2222, 2227);
        assertThat(network.probeTimeouts()).containsExactly(TIMEOUT);
        assertThat(checked.get(2222).health().health()).isEqualTo(Health.UP);
        assertThat(checked.get(2227).health().health()).isEqualTo(Health.UP);
        assertThat(checked.get(2223).health()).isEqualTo(TunnelHealth.derive(2223, "inactive", "dead", Optional.empty(),
                Optional.of(TunnelJournal.of(List.of())), NOW));
        assertThat(checked.get(2223).health().detail()).isEqualTo("service is not running: inactive (dead)");
        assertThat(checked.get(2225).health().detail()).contains("waiting to be restarted");
        for (int port : new int[] {2223, 2224, 2225, 2226}) {
            assertThat(checked.get(port).health().health()).as("%d", port).isEqualTo(Health.DOWN);
            assertThat(checked.get(port).health().probe()).as("%d", port).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no key", "no bastion", "unknown service user"})
    void aTunnelThatCannotBeProbedIsUnknownAndSaysWhyWhileTheOthersAreProbed(String problem) throws Exception {
        active(2222, 2224);
        String why = switch (problem) {
            case "no key" -> {
                units.python(2223, "-M 0 -NR 2223:localhost:22 user@bastion.example.com");
                yield "the unit names no key (-i KEY or -o IdentityFile=KEY), so there is none to probe with";
            }
            case "no bastion" -> {
                units.handWritten(2223, ME, "/usr/bin/autossh -M 0 -N -i /keys/k -R 2223:localhost:22");
                yield "the unit names no bastion";
            }
            default -> {
                units.handWritten(2223, "ghost", "/usr/bin/autossh -M 0 -N -i /keys/k -R 2223:localhost:22 bastion.example.com");
                yield "cannot look up the service user ghost: no such user: ghost";
            }
        };
        services.state(2223, "active", "running");

        Map<Integer, TunnelStatus> checked = byPort(check().all(TIMEOUT));

        assertThat(ports(network.probed())).containsExactly(2222, 2224);
        TunnelHealth health = checked.get(2223).health();
        assertThat(health.health()).isEqualTo(Health.UNKNOWN);
        assertThat(health.detail()).isEqualTo("cannot probe: " + why);
        assertThat(health.probe()).contains(new ProbeOutcome(Result.CANNOT_PROBE, "cannot probe: " + why, Duration.ZERO));
        assertThat(checked.get(2222).health().health()).isEqualTo(Health.UP);
        assertThat(checked.get(2224).health().health()).isEqualTo(Health.UP);
    }

    @Test
    void theJournalIsReadOnceForAllUnitsAfterTheProbes() throws Exception {
        active(2222);
        tunnel(2223, "failed", "failed");
        active(2224);
        List<Integer> readsWhenProbed = new ArrayList<>();
        network.probingEvery(tunnel -> {
            readsWhenProbed.add(journal.reads().size());
            return FakeBastionNetwork.up();
        });

        check().all(TIMEOUT);

        assertThat(readsWhenProbed).containsExactly(0, 0);
        assertThat(journal.reads()).containsExactly("read autossh-tunnel-2222.service autossh-tunnel-2223.service"
                + " autossh-tunnel-2224.service");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not allowed", "failing"})
    void withoutAReadableJournalHealthIsDerivedWithoutIt(String why) throws Exception {
        active(2222);
        tunnel(2223, "failed", "failed");
        journal.add(UnitName.of(2222), JournalEvent.of(NOW.minusSeconds(2), 10, "ssh child pid is 12"))
                .add(UnitName.of(2222), JournalEvent.of(NOW.minusSeconds(1), 12,
                        "Error: remote port forwarding failed for listen port 2222"));
        if (why.equals("not allowed")) {
            journal.unreadable();
        } else {
            journal.failing("journalctl: No journal files were found.");
        }

        Map<Integer, TunnelStatus> checked = byPort(check().all(TIMEOUT));

        TunnelHealth health = checked.get(2222).health();
        assertThat(health).isEqualTo(TunnelHealth.derive(2222, "active", "running",
                Optional.of(FakeBastionNetwork.up()), Optional.empty(), NOW));
        assertThat(health.health()).isEqualTo(Health.UP);
        assertThat(health.detail()).isEqualTo(UP_DETAIL
                + " (journal not readable: run with sudo to confirm the forward is this tunnel's)");
        assertThat(health.lastError()).isEmpty();
        assertThat(checked.get(2223).health().health()).isEqualTo(Health.DOWN);
        assertThat(journal.reads()).hasSize(1);
    }

    @Test
    void aRefusedForwardInTheJournalMakesAnAnsweringProbeDown() throws Exception {
        active(2222, 2223);
        List<JournalEvent> lines = List.of(JournalEvent.of(NOW.minusSeconds(20), 10, "ssh child pid is 12"),
                JournalEvent.of(NOW.minusSeconds(19), 12, "Error: remote port forwarding failed for listen port 2222"));
        lines.forEach(line -> journal.add(UnitName.of(2222), line));
        journal.add(UnitName.of(2223), JournalEvent.of(NOW.minusSeconds(30), 20, "ssh child pid is 21"));

        Map<Integer, TunnelStatus> checked = byPort(check().all(TIMEOUT));

        TunnelHealth refused = checked.get(2222).health();
        assertThat(refused).isEqualTo(TunnelHealth.derive(2222, "active", "running",
                Optional.of(FakeBastionNetwork.up()), Optional.of(TunnelJournal.of(lines)), NOW));
        assertThat(refused.health()).isEqualTo(Health.DOWN);
        assertThat(refused.detail()).isEqualTo("the bastion refused to forward port 2222: the port is taken there"
                + " (by another client, or by this tunnel's previous session)");
        assertThat(refused.lastError()).contains(lines.get(1));
        assertThat(refused.probe()).contains(FakeBastionNetwork.up());
        TunnelHealth other = checked.get(2223).health();
        assertThat(other.health()).as("another unit's journal says nothing about this one").isEqualTo(Health.UP);
        assertThat(other.detail()).isEqualTo(UP_DETAIL);
        assertThat(other.lastError()).isEmpty();
    }

    @ParameterizedTest(name = "lines {0} s before the window starts -> {1}")
    @CsvSource({"-60, DOWN", "1, UP"})
    void theJournalIsReadForTheRecentWindowOnly(int secondsBeforeWindow, Health health) throws Exception {
        active(2222);
        Instant start = NOW.minus(HealthCheck.JOURNAL_WINDOW).minusSeconds(secondsBeforeWindow);
        journal.add(UnitName.of(2222), JournalEvent.of(start, 10, "ssh child pid is 12"))
                .add(UnitName.of(2222), JournalEvent.of(start, 12, "Error: remote port forwarding failed for listen port 2222"));

        assertThat(check().of(2222, TIMEOUT).status().health().health()).isEqualTo(health);
    }

    @Test
    void eachOutcomeGoesToItsOwnTunnel() throws Exception {
        active(2222);
        tunnel(2223, "inactive", "dead");
        units.python(2224, "-M 0 -NR 2224:localhost:22 user@bastion.example.com");
        services.state(2224, "active", "running");
        active(2225, 2226, 2227, 2228);
        Map<Integer, ProbeOutcome> outcomes = Map.of(2222, outcome(Result.TARGET_ANSWERED),
                2225, outcome(Result.FORWARD_MISSING), 2226, outcome(Result.TARGET_SILENT),
                2227, outcome(Result.PROBE_REFUSED), 2228, outcome(Result.AUTH_REJECTED));
        network.probingEvery(tunnel -> outcomes.get(tunnel.port()));

        Map<Integer, TunnelStatus> checked = byPort(check().all(TIMEOUT));

        assertThat(ports(network.probed())).containsExactly(2222, 2225, 2226, 2227, 2228);
        outcomes.forEach((port, outcome) -> {
            assertThat(checked.get(port).health().probe()).as("%d", port).contains(outcome);
            assertThat(checked.get(port).health().detail()).as("%d", port).isEqualTo(outcome.detail());
        });
        assertThat(checked).extractingFromEntries(e -> e.getKey() + " " + e.getValue().health().health())
                .containsExactlyInAnyOrder("2222 UP", "2223 DOWN", "2224 UNKNOWN", "2225 DOWN", "2226 DEGRADED",
                        "2227 UNKNOWN", "2228 DOWN");
        assertThat(checked.values()).allSatisfy(status -> assertThat(status.health().checkedAt()).isEqualTo(NOW));
    }

    @Test
    void theTunnelsComeBackInPortOrderWithTheirUnits() throws Exception {
        active(10022, 2300, 2222);

        List<InstalledTunnel> checked = check().all(TIMEOUT);

        assertThat(checked).extracting(InstalledTunnel::port).containsExactly(2222, 2300, 10022);
        assertThat(checked).allSatisfy(t -> assertThat(t.unit()).isEqualTo(units.directory().installed(t.port())));
    }

    @Test
    void theProbesGoWhereTheUnitsSayAndEachUserIsLookedUpOnce() throws Exception {
        active(2222, 2223, 2224);

        check().all(TIMEOUT);

        assertThat(network.probed()).extracting(ForwardProbe.Tunnel::key).containsExactly(home.resolve(".ssh/id_2222"),
                home.resolve(".ssh/id_2223"), home.resolve(".ssh/id_2224"));
        assertThat(network.probed()).extracting(ForwardProbe.Tunnel::login).containsOnly("user");
        assertThat(passwd.lookups()).containsExactly(ME);
    }

    @Test
    void oneTunnelIsCheckedAlone() throws Exception {
        active(2222, 2223);
        network.probing(2223, outcome(Result.TARGET_CLOSED));

        InstalledTunnel checked = check().of(2223, TIMEOUT);

        assertThat(checked.port()).isEqualTo(2223);
        assertThat(checked.status().health().health()).isEqualTo(Health.DEGRADED);
        assertThat(network.calls()).containsExactly("probe 2223");
        assertThat(journal.reads()).containsExactly("read autossh-tunnel-2223.service");
    }

    @Test
    void aPortWithoutTunnelIsNoSuchTunnel() throws Exception {
        active(2222);

        assertThatThrownBy(() -> check().of(2223, TIMEOUT)).isInstanceOfSatisfying(NoSuchTunnelException.class,
                e -> assertThat(e.port()).isEqualTo(2223));
        assertThat(network.calls()).isEmpty();
        assertThat(journal.reads()).isEmpty();
    }

    @Test
    void withoutTunnelsNothingIsProbedOrRead() {
        assertThat(check().all(TIMEOUT)).isEmpty();
        assertThat(network.calls()).isEmpty();
        assertThat(journal.reads()).isEmpty();
        assertThat(services.calls()).isEmpty();
    }

    @Test
    void withOnlyInactiveTunnelsTheNetworkIsNotAsked() throws Exception {
        tunnel(2222, "failed", "failed");

        assertThat(check().all(TIMEOUT)).hasSize(1);
        assertThat(network.calls()).isEmpty();
        assertThat(network.probeTimeouts()).isEmpty();
        assertThat(journal.reads()).hasSize(1);
    }

    @Test
    void aTunnelWhoseKeyBecameAFifoCannotBeProbedAndIsNeverHandedToTheProbes() throws Exception {
        TestMachine machine = new TestMachine(Files.createDirectories(dir.resolve("machine")));
        machine.knowsHost("bastion.example.com");
        ServiceStates states = new ServiceStates(new UnitDirectory(machine.layout().unitDirectory()), machine.services(),
                machine.clock());
        HealthCheck check = new HealthCheck(states, new ProbeTargets(machine.users()), machine.network(),
                machine.journal(), machine.clock());
        Path key = machine.key("id_ed25519");
        for (int port : new int[] {2222, 2223}) {
            machine.api().setup(SetupRequest.builder(port, "tunnel@bastion.example.com")
                    .key((port == 2222 ? key : machine.key("other_ed25519")).toString())
                    .verifyWithin(Duration.ofSeconds(2)).build());
        }
        // the key's owner swaps it for a named pipe that nobody writes to: reading it would wait for ever
        Files.delete(key);
        Fifo.make(key);
        int probesBefore = machine.network().probed().size();

        List<TunnelStatus> checked = check.all(Duration.ofSeconds(1)).stream().map(InstalledTunnel::status).toList();

        assertThat(checked).extracting(TunnelStatus::port).containsExactly(2222, 2223);
        TunnelStatus fifoKey = checked.get(0);
        assertThat(fifoKey.health().health()).isEqualTo(Health.UNKNOWN);
        assertThat(fifoKey.health().detail()).isEqualTo("cannot probe: key " + key + " is not a regular file");
        assertThat(fifoKey.health().probe()).hasValueSatisfying(
                outcome -> assertThat(outcome.result()).isEqualTo(ProbeOutcome.Result.CANNOT_PROBE));
        assertThat(checked.get(1).health().health()).isEqualTo(Health.UP);
        assertThat(machine.network().probed().subList(probesBefore, machine.network().probed().size()))
                .extracting(t -> t.port()).containsExactly(2223);
    }

    private static EngineReport engine(String phase, long connections) {
        Instant t = Instant.parse("2026-11-25T01:00:00Z");
        return new EngineReport(phase, t, 0, Optional.empty(), 0, connections, 0, 0, t);
    }

    @ParameterizedTest
    @CsvSource({
        "NO_EVIDENCE, up, 4, 5, TARGET_ANSWERED",
        "NO_EVIDENCE, up, 5, 5, NO_EVIDENCE",
        "NO_EVIDENCE, backing-off, 4, 5, NO_EVIDENCE",
        "TARGET_SILENT, up, 4, 5, TARGET_SILENT",
        "TARGET_ANSWERED, up, 4, 5, TARGET_ANSWERED"})
    void aConnectionTheNativeEngineRelayedDuringTheProbeIsEvidenceForASilentTarget(Result probed, String phase,
                                                                                   long before, long after, Result expected) {
        ProbeOutcome outcome = new ProbeOutcome(probed, "probe says " + probed, Duration.ofMillis(900));

        ProbeOutcome relayed = HealthCheck.relayed(outcome, Optional.of(engine(phase, before)), engine(phase, after),
                "127.0.0.1:5432");

        assertThat(relayed.result()).isEqualTo(expected);
        assertThat(relayed.duration()).isEqualTo(Duration.ofMillis(900));
        if (probed == Result.NO_EVIDENCE && expected == Result.TARGET_ANSWERED) {
            assertThat(relayed.detail()).isEqualTo("the native engine connected the tunnelled connection to 127.0.0.1:5432"
                    + " (connections that reached it: 4 -> 5)");
        } else {
            assertThat(relayed).isSameAs(outcome);
        }
    }

    @Test
    void withoutAStateFileBeforeTheProbeNothingIsTakenAsEvidence() {
        ProbeOutcome outcome = new ProbeOutcome(Result.NO_EVIDENCE, "silent", Duration.ZERO);

        assertThat(HealthCheck.relayed(outcome, Optional.empty(), engine("up", 9), "t")).isSameAs(outcome);
    }
}
