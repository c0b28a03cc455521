package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.ServiceManager;
import io.scitex.tunnel.testing.FakeServiceManager;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.testing.TunnelUnits;
import io.scitex.tunnel.unit.UnitDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceStatesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Path KEY = Path.of("/home/alice/.ssh/id_ed25519");

    @TempDir
    Path dir;

    private TunnelUnits units() {
        return new TunnelUnits(dir.resolve("system"));
    }

    private TunnelUnits unitsWithDirectory() throws Exception {
        Files.createDirectories(dir.resolve("system"));
        return units();
    }

    private ServiceStates states(TunnelUnits units, FakeServiceManager services) {
        return new ServiceStates(units.directory(), services, CLOCK);
    }

    /** A unit as setup writes it for the autossh engine. */
    private static TunnelUnits withAutossh(TunnelUnits units, int port, String bastion, String target) {
        return units.autossh(TunnelUnits.spec(port, bastion, KEY, "alice", target),
                Path.of("/etc/scitex-tunnel/" + port + "/known_hosts"));
    }

    @Test
    void parsesUnixTimestampsOfSystemctl() {
        assertThat(ServiceStates.parseTimestamp("@1700000000")).contains(Instant.ofEpochSecond(1_700_000_000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "@abc", "Tue 2023-11-14 22:13:20 UTC", "1700000000"})
    void treatsOtherTimestampsAsNever(String value) {
        assertThat(ServiceStates.parseTimestamp(value)).isEmpty();
    }

    @Test
    void treatsMissingTimestampAsNever() {
        assertThat(ServiceStates.parseTimestamp(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withoutUnitsThereIsNothingAndTheServiceManagerIsNotAsked(boolean directoryExists) throws Exception {
        TunnelUnits units = directoryExists ? unitsWithDirectory() : units();
        FakeServiceManager services = new FakeServiceManager().notRunning();
        ServiceStates states = states(units, services);

        assertThat(states.all()).isEmpty();
        assertThat(states.read()).isEmpty();
        assertThat(states.isUp(2222)).isFalse();
        assertThat(services.calls()).isEmpty();
        assertThat(services.runningChecks()).as("not even whether systemd runs").isZero();
    }

    @Test
    void filesThatAreNoTunnelUnitsDoNotCount() throws Exception {
        TunnelUnits units = unitsWithDirectory();
        Files.writeString(dir.resolve("system/sshd.service"), "[Service]\nExecStart=/usr/sbin/sshd -D\n");
        Files.writeString(dir.resolve("system/autossh-tunnel-0.service"), "[Service]\n");
        Files.writeString(dir.resolve("system/autossh-tunnel-70000.service"), "[Service]\n");
        FakeServiceManager services = new FakeServiceManager();

        assertThat(states(units, services).all()).isEmpty();
        assertThat(services.calls()).isEmpty();
    }

    @Test
    void unitsWithoutSystemdAreAnErrorThatSaysSo() {
        TunnelUnits units = withAutossh(units(), 2222, "user@bastion.example.com", "localhost:22");
        FakeServiceManager services = new FakeServiceManager().notRunning();
        ServiceStates states = states(units, services);

        assertThatThrownBy(states::all).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("systemd is not running on this machine, so there are no tunnel services to manage");
        assertThatThrownBy(() -> states.of(2222)).isExactlyInstanceOf(TunnelException.class)
                .hasMessageStartingWith("systemd is not running");
        assertThat(services.calls()).isEmpty();
    }

    @Test
    void allUnitsAreShownWithOneQueryAndListedInPortOrder() {
        TunnelUnits units = units();
        for (int port : new int[] {10022, 2300, 2222, 9999}) {
            withAutossh(units, port, "user@bastion.example.com", "localhost:22");
        }
        FakeServiceManager services = new FakeServiceManager();

        List<TunnelStatus> all = states(units, services).all();

        assertThat(all).extracting(TunnelStatus::port).containsExactly(2222, 2300, 9999, 10022);
        assertThat(all).extracting(TunnelStatus::unit).containsExactly("autossh-tunnel-2222.service",
                "autossh-tunnel-2300.service", "autossh-tunnel-9999.service", "autossh-tunnel-10022.service");
        assertThat(services.calls()).containsExactly("show autossh-tunnel-2222.service autossh-tunnel-2300.service"
                + " autossh-tunnel-9999.service autossh-tunnel-10022.service");
        assertThat(services.runningChecks()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} ({1}), changed {2}, {3} restarts, started {4}")
    @CsvSource(nullValues = "NULL", value = {
        // ActiveState, SubState, StateChangeTimestamp, NRestarts, ExecMainStartTimestamp, since, restarts, started, health
        "active,     running,      @1764547200, 3,    @1764547100, 2025-12-01T00:00:00Z, 3, 2025-11-30T23:58:20Z, UP",
        "failed,     failed,       @1764547200, 0,    '',          2025-12-01T00:00:00Z, 0, NULL,                 DOWN",
        "activating, auto-restart, '',          12,   @1764547100, NULL,                 12, 2025-11-30T23:58:20Z, DOWN",
        "inactive,   dead,         NULL,        NULL, NULL,        NULL,                 0, NULL,                 DOWN",
        "active,     running,      @soon,       many, yesterday,   NULL,                 0, NULL,                 UP",
        "NULL,       NULL,         NULL,        NULL, NULL,        NULL,                 0, NULL,                 DOWN"})
    void theStateComesFromTheServiceManagersProperties(String state, String subState, String changed, String restarts,
                                                       String mainStarted, Instant since, int restartCount,
                                                       Instant started, Health health) {
        TunnelUnits units = withAutossh(units(), 2222, "user@bastion.example.com", "localhost:22");
        FakeServiceManager services = new FakeServiceManager();
        set(services, "ActiveState", state);
        set(services, "SubState", subState);
        set(services, "StateChangeTimestamp", changed);
        set(services, "NRestarts", restarts);
        set(services, "ExecMainStartTimestamp", mainStarted);

        TunnelStatus status = states(units, services).of(2222);

        String expectedState = state == null ? "unknown" : state;
        String expectedSubState = subState == null ? "unknown" : subState;
        assertThat(status.state()).isEqualTo(expectedState);
        assertThat(status.subState()).isEqualTo(expectedSubState);
        assertThat(status.since()).isEqualTo(Optional.ofNullable(since));
        assertThat(status.restarts()).isEqualTo(restartCount);
        assertThat(status.started()).isEqualTo(Optional.ofNullable(started));
        assertThat(status.health()).isEqualTo(TunnelHealth.fromServiceState(expectedState, expectedSubState, NOW));
        assertThat(status.health().health()).isEqualTo(health);
        assertThat(status.health().checkedAt()).isEqualTo(NOW);
        assertThat(status.isUp()).isEqualTo(health == Health.UP);
    }

    private static void set(FakeServiceManager services, String property, String value) {
        if (value == null) {
            services.withoutProperty(2222, property);
        } else {
            services.property(2222, property, value);
        }
    }

    @Test
    void aUnitTheServiceManagerDoesNotReportIsOfUnknownState() {
        TunnelUnits units = withAutossh(units(), 2222, "user@bastion.example.com", "localhost:22");

        TunnelStatus status = new ServiceStates(units.directory(), new ReportingNothing(), CLOCK).of(2222);

        assertThat(status.state()).isEqualTo("unknown");
        assertThat(status.subState()).isEqualTo("unknown");
        assertThat(status.restarts()).isZero();
        assertThat(status.bastion()).contains("user@bastion.example.com");
        assertThat(status.health().health()).isEqualTo(Health.DOWN);
    }

    @Test
    void aFailingQueryIsATunnelExceptionWithSystemctlsMessage() {
        TunnelUnits units = withAutossh(units(), 2222, "user@bastion.example.com", "localhost:22");
        FakeServiceManager services = new FakeServiceManager().failing("show", "Access denied");

        assertThatThrownBy(() -> states(units, services).all()).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("systemctl show failed: Access denied");
    }

    @Test
    void setupsUnitsTheNativeEnginesAndThePythonToolsAllSayWhereTheyConnect() {
        TunnelUnits units = units();
        units.autossh(TunnelUnits.spec(2222, "tunnel@bastion.example.com:2200", KEY, "alice", "localhost:22"),
                Path.of("/etc/scitex-tunnel/2222/known_hosts"));
        units.nativeEngine(TunnelUnits.spec(2223, "bob@[2001:db8::1]:2201", KEY, "alice", "[::1]:8022"),
                Path.of("/etc/scitex-tunnel/2223/known_hosts"), Optional.empty());
        units.python(2224, "-M 0 -o \"ServerAliveInterval 30\" -o \"ServerAliveCountMax 3\" -NR 2224:localhost:22"
                + " user@bastion.example.com -i /root/.ssh/id_rsa");
        units.python(2225, "-M 0 -N -R 2225:192.168.1.20:3389 -p 2022 -l carol jump.example.org");

        List<TunnelStatus> all = states(units, new FakeServiceManager()).all();

        assertThat(all).extracting(TunnelStatus::bastion).containsExactly(Optional.of("tunnel@bastion.example.com:2200"),
                Optional.of("bob@[2001:db8::1]:2201"), Optional.of("user@bastion.example.com"),
                Optional.of("carol@jump.example.org:2022"));
        assertThat(all).extracting(TunnelStatus::target).containsExactly(Optional.of("localhost:22"),
                Optional.of("[::1]:8022"), Optional.of("localhost:22"), Optional.of("192.168.1.20:3389"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "not a tunnel", "bad escape", "unreadable"})
    void aUnitThatSaysNothingUsableHasNoBastionOrTargetAndHidesNoOther(String kind) throws Exception {
        TunnelUnits units = units();
        withAutossh(units, 2222, "user@bastion.example.com", "localhost:22");
        withAutossh(units, 2400, "other@bastion.example.net", "localhost:8022");
        switch (kind) {
            case "garbage" -> units.text(2300, "\u0000\u0001 [[[ \\\n=== no unit here");
            case "not a tunnel" -> units.text(2300, "[Service]\nExecStart=/bin/true\n");
            case "bad escape" -> units.text(2300, "[Service]\nExecStart=/usr/bin/autossh -M 0 -N \\xZZ -R 2300:localhost:22 user@bastion.example.org\n");
            case "unreadable" -> Files.createDirectories(units.directory().path(2300));
            default -> throw new IllegalArgumentException(kind);
        }
        FakeServiceManager services = new FakeServiceManager().state(2300, "active", "running");

        List<TunnelStatus> all = states(units, services).all();

        assertThat(all).extracting(TunnelStatus::port).containsExactly(2222, 2300, 2400);
        TunnelStatus broken = all.get(1);
        assertThat(broken.bastion()).isEmpty();
        assertThat(broken.target()).isEmpty();
        assertThat(broken.state()).as("the service manager still says how it is doing").isEqualTo("active");
        assertThat(all.get(0).bastion()).contains("user@bastion.example.com");
        assertThat(all.get(2).bastion()).contains("other@bastion.example.net");
        assertThat(all.get(2).target()).contains("localhost:8022");
    }

    @Test
    void readingOneTunnelShowsOnlyItsUnitWithWhatTheUnitSays() {
        TunnelUnits units = units();
        withAutossh(units, 2222, "user@bastion.example.com", "localhost:22");
        withAutossh(units, 2300, "other@bastion.example.net", "localhost:8022");
        FakeServiceManager services = new FakeServiceManager().state(2300, "active", "running");

        InstalledTunnel tunnel = states(units, services).read(2300);

        assertThat(tunnel.port()).isEqualTo(2300);
        assertThat(tunnel.status().state()).isEqualTo("active");
        assertThat(tunnel.status().target()).contains("localhost:8022");
        assertThat(tunnel.unit()).isEqualTo(units.directory().installed(2300));
        assertThat(tunnel.unit().serviceUser()).isEqualTo("alice");
        assertThat(tunnel.unit().hardened()).isTrue();
        assertThat(services.calls()).containsExactly("show autossh-tunnel-2300.service");
    }

    @Test
    void aPortWithoutUnitIsNoSuchTunnel() {
        TunnelUnits units = withAutossh(units(), 2222, "user@bastion.example.com", "localhost:22");
        FakeServiceManager services = new FakeServiceManager();
        ServiceStates states = states(units, services);

        assertThatThrownBy(() -> states.read(2223)).isInstanceOfSatisfying(NoSuchTunnelException.class,
                e -> assertThat(e.port()).isEqualTo(2223)).hasMessageStartingWith("no tunnel on port 2223");
        assertThatThrownBy(() -> states.of(2223)).isInstanceOf(NoSuchTunnelException.class);
        assertThat(services.calls()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void aPortOutOfRangeIsInvalidInput(int port) {
        TunnelUnits units = withAutossh(units(), 2222, "user@bastion.example.com", "localhost:22");

        assertThatThrownBy(() -> states(units, new FakeServiceManager()).read(port))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("port must be from 1 to 65535");
    }

    @ParameterizedTest(name = "{0} ({1}) installed: {2} -> up {3}")
    @CsvSource({
        "active,     running,      true,  true",
        "active,     exited,       true,  true",
        "activating, auto-restart, true,  false",
        "failed,     failed,       true,  false",
        "inactive,   dead,         true,  false",
        "active,     running,      false, false"})
    void isUpWhenInstalledAndActive(String state, String subState, boolean installed, boolean up) {
        TunnelUnits units = withAutossh(units(), 2300, "user@bastion.example.com", "localhost:22");
        if (installed) {
            withAutossh(units, 2222, "user@bastion.example.com", "localhost:22");
        }
        FakeServiceManager services = new FakeServiceManager().state(2222, state, subState)
                .state(2300, "active", "running");

        assertThat(states(units, services).isUp(2222)).isEqualTo(up);
        if (!installed) {
            assertThat(services.calls()).as("no query for a tunnel that is not there").isEmpty();
        }
    }

    /** A service manager that runs but reports no unit at all. */
    private static final class ReportingNothing implements ServiceManager {
        @Override
        public boolean isRunning() {
            return true;
        }

        @Override
        public void daemonReload() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void enable(String unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restart(String unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CommandResult disableNow(String unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CommandResult resetFailed(String unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Map<String, String>> show(List<String> units, List<String> properties) {
            return Map.of();
        }
    }

    @Test
    void eachTunnelCarriesTheDropInsThatChangeItsUnit() throws Exception {
        TestMachine machine = new TestMachine(dir);
        UnitDirectory units = new UnitDirectory(machine.layout().unitDirectory());
        units.write(2222, "[Unit]\n");
        units.write(2223, "[Unit]\n");
        Path waiting = Files.createDirectories(units.dropInDirectory(2222)).resolve("override.conf");
        Files.writeString(waiting, "[Service]\n");
        machine.services().dropIns(2222, "/etc/systemd/system.control/autossh-tunnel-2222.service.d/50-CPUWeight.conf");
        ServiceStates states = new ServiceStates(units, machine.services(), machine.clock());

        TunnelStatus changed = states.of(2222);

        assertThat(changed.dropIns()).containsExactly(
                Path.of("/etc/systemd/system.control/autossh-tunnel-2222.service.d/50-CPUWeight.conf"), waiting);
        assertThat(states.all()).extracting(TunnelStatus::port, s -> s.dropIns().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2222, 2), org.assertj.core.groups.Tuple.tuple(2223, 0));
        assertThat(machine.services().calls()).last().asString().startsWith("show");
    }
}
