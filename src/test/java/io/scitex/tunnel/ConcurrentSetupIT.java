package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Setups of one port that overlap, and setups interrupted by a signal, on a real systemd with a real OpenSSH
 * bastion (see {@code src/test/scripts/e2e-world}), typed by alice through sudo. The bastion answers under two
 * names, so that a unit and its pins say which setup wrote them. Each test uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentSetupIT {
    private static final String KEY = "/home/alice/.ssh/id_ed25519";
    private static final String[] BASTIONS = {"bastion.example.com", "bastion2.example.com"};
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("sudo", "apt-get install sudo");
        container = SystemdContainer.bootE2eWorld("scitex-concurrent");
        CommandResult second = container.sh("echo '127.0.0.2 bastion2.example.com' >> /etc/hosts");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        for (String bastion : BASTIONS) {
            CommandResult known = container.shAs("alice", "ssh -o StrictHostKeyChecking=accept-new -o BatchMode=yes"
                    + " -i " + KEY + " user@" + bastion + " true");
            assertThat(known.exitCode()).as("alice learns %s's host key: %s", bastion, known.stderr()).isZero();
        }
    }

    @AfterEach
    void removeLeftoverTunnels() throws IOException {
        container.sh(SystemdContainer.REMOVE_ALL_TUNNELS);
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    void twoSetupsOfOnePortAtOnceEndWithTheUnitAndThePinsOfTheSameOne() throws Exception {
        for (int round = 0; round < 3; round++) {
            CommandResult both = container.shAs("alice", "for b in " + String.join(" ", BASTIONS) + "; do"
                    + " (sudo /opt/bin/scitex-tunnel setup -p 2250 -b user@$b -s " + KEY + " --no-check"
                    + " >/tmp/$b.out 2>/tmp/$b.err; echo $? >/tmp/$b.rc) & done; wait");
            assertThat(both.exitCode()).as(both.stderr()).isZero();

            String winner = unitBastion(2250).orElseThrow(() -> new AssertionError("no unit for port 2250"));
            assertThat(pinnedBastion(2250)).as("the pins belong to the unit's setup").isEqualTo(winner);
            String loser = winner.equals(BASTIONS[0]) ? BASTIONS[1] : BASTIONS[0];
            assertThat(rc(winner)).as("%s: %s", winner, err(winner)).isZero();
            System.out.println("round " + round + ": " + winner + "'s tunnel stays; " + loser
                    + (rc(loser) == 0 ? " was set up first and replaced" : " was refused"));
            if (rc(loser) == 0) {
                // both ran, one after the other: the later one replaced the earlier, whole
                assertThat(out(winner)).contains("Replaced the existing tunnel on port 2250.");
                assertThat(out(loser)).doesNotContain("Replaced");
            } else {
                assertThat(rc(loser)).isEqualTo(1);
                assertThat(err(loser).strip()).startsWith("scitex-tunnel: port 2250 is being set up by PID ")
                        .endsWith("; try again once it has finished");
            }
            assertThat(container.sh("systemctl is-active autossh-tunnel-2250.service").stdout().strip())
                    .isEqualTo("active");
            CommandResult remove = container.shAs("alice", "sudo /opt/bin/scitex-tunnel remove -p 2250");
            assertThat(remove.exitCode()).as(remove.stderr()).isZero();
        }
    }

    @Test
    void aRollbackNeverTakesAwayTheTunnelOfASetupThatCameWhileItWaited() throws Exception {
        startInBackground("first", "TERM", "setup -p 2251 -b user@" + BASTIONS[0] + " -s " + KEY
                + " --target 127.0.0.1:2999 --wait 12 --rollback");
        awaitUnitNaming(2251, "127.0.0.1:2999");

        CommandResult second = container.shAs("alice", "sudo /opt/bin/scitex-tunnel setup -p 2251 -b user@"
                + BASTIONS[1] + " -s " + KEY + " --no-check");
        awaitExit("first", Duration.ofSeconds(60));

        assertThat(backgroundRc("first")).isEqualTo(1);
        assertThat(background("first", "err")).contains("removed it again (--rollback)");
        System.out.println("the setup that came while the first waited " + (second.exitCode() == 0
                ? "waited for the first's rollback" : "was refused"));
        if (second.exitCode() == 0) {
            // it waited until the first had rolled back, then set up its own tunnel, which stays
            assertThat(unitBastion(2251)).hasValue(BASTIONS[1]);
            assertThat(pinnedBastion(2251)).isEqualTo(BASTIONS[1]);
        } else {
            assertThat(second.exitCode()).isEqualTo(1);
            assertThat(second.stderr().strip()).isEqualTo("scitex-tunnel: port 2251 is being set up by PID "
                    + background("first", "pid").strip() + "; try again once it has finished");
            assertNothingLeftOf(2251);
        }
    }

    @Test
    void sigintDuringTheWaitPutsBackThePreviousUnitAndPinsByteForByte() throws Exception {
        CommandResult first = container.shAs("alice", "sudo /opt/bin/scitex-tunnel setup -p 2252 -b user@"
                + BASTIONS[0] + " -s " + KEY);
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        byte[] unit = Files.readAllBytes(unitFile(2252));
        byte[] pins = Files.readAllBytes(pinFile(2252));
        String previousPid = mainPid(2252);

        startInBackground("replacing", "INT", "setup -p 2252 -b user@" + BASTIONS[1] + " -s " + KEY
                + " --target 127.0.0.1:2999 --wait 120 --rollback");
        awaitWaitingWithUnitNaming(2252, "127.0.0.1:2999", previousPid);
        assertThat(container.sh("kill -INT " + background("replacing", "pid")).exitCode()).isZero();
        awaitExit("replacing", Duration.ofSeconds(60));

        assertThat(backgroundRc("replacing")).as("killed by SIGINT").isEqualTo(130);
        assertThat(new String(Files.readAllBytes(unitFile(2252)), StandardCharsets.UTF_8)).as("the unit")
                .isEqualTo(new String(unit, StandardCharsets.UTF_8));
        assertThat(Files.readAllBytes(unitFile(2252))).isEqualTo(unit);
        assertThat(Files.readAllBytes(pinFile(2252))).isEqualTo(pins);
        assertThat(background("replacing", "err"))
                .contains("scitex-tunnel: interrupted: put back the previous tunnel on port 2252");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                container.sh("scitex-tunnel status -p 2252").exitCode()).as("the previous tunnel works again").isZero());
    }

    @Test
    void sigtermDuringTheWaitOfAFirstSetupLeavesNothing() throws Exception {
        startInBackground("new", "TERM", "setup -p 2253 -b user@" + BASTIONS[0] + " -s " + KEY
                + " --target 127.0.0.1:2999 --wait 120 --rollback");
        awaitWaitingWithUnitNaming(2253, "127.0.0.1:2999", "0");
        assertThat(container.sh("kill -TERM " + background("new", "pid")).exitCode()).isZero();
        awaitExit("new", Duration.ofSeconds(60));

        assertThat(backgroundRc("new")).as("killed by SIGTERM").isEqualTo(143);
        assertNothingLeftOf(2253);
        assertThat(background("new", "err"))
                .contains("scitex-tunnel: interrupted: removed the tunnel just set up on port 2253");
    }

    /**
     * Starts {@code scitex-tunnel ARGS} as alice through sudo, in the background; NAME.pid gets the PID that
     * becomes the JVM, NAME.out, NAME.err and NAME.rc its output and exit status. A background job starts
     * with SIGINT ignored: {@code env --default-signal} gives the JVM the signal back, as a terminal has it.
     */
    private void startInBackground(String name, String signal, String args) throws IOException {
        String command = "sudo sh -c 'echo $$ >/tmp/" + name + ".pid; exec env --default-signal=" + signal
                + " /opt/bin/scitex-tunnel " + args + "'";
        CommandResult started = container.shAs("alice", "rm -f /tmp/" + name + ".*; (" + command + " >/tmp/" + name
                + ".out 2>/tmp/" + name + ".err; echo $? >/tmp/" + name + ".rc) </dev/null >/dev/null 2>&1 &");
        assertThat(started.exitCode()).as(started.stderr()).isZero();
    }

    private String background(String name, String what) throws IOException {
        return container.sh("cat /tmp/" + name + "." + what + " 2>/dev/null").stdout();
    }

    private int backgroundRc(String name) throws IOException {
        return Integer.parseInt(background(name, "rc").strip());
    }

    private void awaitExit(String name, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(250))
                .until(() -> !background(name, "rc").isBlank());
    }

    /** Until the setup under test has written its unit (naming {@code text}). */
    private void awaitUnitNaming(int port, String text) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                Files.exists(unitFile(port)) && Files.readString(unitFile(port)).contains(text));
    }

    /**
     * Until the setup under test has written its unit and systemd runs it (a main process other than the
     * previous one): the setup then waits for the tunnel to work.
     */
    private void awaitWaitingWithUnitNaming(int port, String text, String previousPid) {
        awaitUnitNaming(port, text);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                container.sh("systemctl show -p ExecStart --value autossh-tunnel-" + port + ".service").stdout()
                        .contains(text)
                        && !List.of("0", "", previousPid).contains(mainPid(port)));
    }

    private String mainPid(int port) throws IOException {
        return container.sh("systemctl show -p MainPID --value autossh-tunnel-" + port + ".service").stdout().strip();
    }

    private Path unitFile(int port) {
        return container.etc().resolve("systemd/system/autossh-tunnel-" + port + ".service");
    }

    private Path pinFile(int port) {
        return container.etc().resolve("scitex-tunnel/" + port + "/known_hosts");
    }

    /** The bastion the unit on {@code port} connects to, if there is a unit. */
    private Optional<String> unitBastion(int port) throws IOException {
        if (!Files.exists(unitFile(port))) {
            return Optional.empty();
        }
        String unit = Files.readString(unitFile(port), StandardCharsets.UTF_8);
        boolean first = unit.contains(" " + BASTIONS[0]);
        boolean second = unit.contains(" " + BASTIONS[1]);
        assertThat(first ^ second).as("the unit names one bastion:%n%s", unit).isTrue();
        return Optional.of(first ? BASTIONS[0] : BASTIONS[1]);
    }

    /** The bastion whose host keys are pinned for {@code port}. */
    private String pinnedBastion(int port) throws IOException {
        String pins = Files.readString(pinFile(port), StandardCharsets.UTF_8);
        boolean first = pins.lines().anyMatch(line -> line.startsWith(BASTIONS[0] + " "));
        boolean second = pins.lines().anyMatch(line -> line.startsWith(BASTIONS[1] + " "));
        assertThat(first ^ second).as("the pins are one bastion's:%n%s", pins).isTrue();
        return first ? BASTIONS[0] : BASTIONS[1];
    }

    private int rc(String bastion) throws IOException {
        return Integer.parseInt(container.sh("cat /tmp/" + bastion + ".rc").stdout().strip());
    }

    private String out(String bastion) throws IOException {
        return container.sh("cat /tmp/" + bastion + ".out").stdout();
    }

    private String err(String bastion) throws IOException {
        return container.sh("cat /tmp/" + bastion + ".err").stdout();
    }

    private void assertNothingLeftOf(int port) throws IOException {
        String unit = "autossh-tunnel-" + port + ".service";
        assertThat(unitFile(port)).doesNotExist();
        assertThat(container.etc().resolve("systemd/system/multi-user.target.wants/" + unit)).doesNotExist();
        assertThat(container.etc().resolve("scitex-tunnel/" + port)).doesNotExist();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(container.sh(
                "systemctl list-units --all --plain --no-legend " + unit).stdout()).isBlank());
    }
}
