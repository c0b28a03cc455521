package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.BusyFront;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.ReverseForwards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probing many tunnels does not trip MaxStartups, neither the bastion's nor the target's: real OpenSSH sshds
 * that drop every unauthenticated connection beyond a few ({@code MaxStartups 3:100:3}, much stricter than
 * OpenSSH's default 10:30:100), twenty working forwards held on the bastion by a real ssh, and all twenty
 * probed at once are up, round after round. Tunnels that would log in alike share one login.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProbeMaxStartupsIT {
    private static final int TUNNELS = 20;
    /** Each round probes all tunnels again: a drop that is not retried would show in one of them. */
    private static final int ROUNDS = 3;
    private static final String USER = System.getProperty("user.name");
    private static Path ssh;

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ss", "install iproute2");
        ssh = Prerequisites.program("ssh", "install openssh-client");
    }

    @Test
    void twentyProbesToABastionThatDropsConnectionsBeyondThreeAreAllUp() throws Exception {
        try (OpenSshBastion bastion = OpenSshBastion.start(dir.resolve("bastion"), List.of("MaxStartups 3:100:3"));
             BannerServer target = BannerServer.start()) {
            List<Integer> forwards = new ArrayList<>();
            try (OwnedProcess ignored = ReverseForwards.start(ssh, bastion, Collections.nCopies(TUNNELS, target.port()),
                    forwards, dir.resolve("logs"))) {
                long before = logins(bastion);
                // Each tunnel pins the bastion in a file of its own, worded differently: no two share a login.
                List<ForwardProbe.Tunnel> tunnels = tunnels(bastion, forwards, target.port(), port -> Files.writeString(
                        dir.resolve("known_hosts_" + port), "# the pins of port " + port + "\n"
                                + Files.readString(bastion.knownHosts())));

                for (int round = 1; round <= ROUNDS; round++) {
                    long start = System.nanoTime();
                    List<ProbeOutcome> outcomes = new ForwardProbe(Duration.ofSeconds(3)).probeAll(tunnels);
                    long millis = (System.nanoTime() - start) / 1_000_000;

                    String report = outcomes.stream()
                            .map(o -> o.result() + " (" + o.duration().toMillis() + " ms) " + o.detail())
                            .collect(Collectors.joining("\n  ", "round " + round + " (" + millis + " ms):\n  ", "\n"));
                    assertThat(outcomes).as(report + bastion.diagnostics()).extracting(ProbeOutcome::result)
                            .containsOnly(Result.TARGET_ANSWERED);
                    System.out.println("[ProbeMaxStartupsIT] round " + round + ": " + TUNNELS + " probes took " + millis
                            + " ms");
                }
                System.out.println("[ProbeMaxStartupsIT] sshd dropped " + bastion.logText().lines()
                        .filter(l -> l.contains("past MaxStartups")).count() + " connections past MaxStartups");
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logins(bastion) - before)
                        .as("one login per tunnel and round").isEqualTo(TUNNELS * ROUNDS));
            }
        }
    }

    @Test
    void aBastionThatTurnsTheFirstConnectionsAwayAsBeyondMaxStartupsIsTriedAgain() throws Exception {
        try (OpenSshBastion bastion = OpenSshBastion.start(dir.resolve("bastion"));
             BannerServer target = BannerServer.start();
             BusyFront busy = BusyFront.to(bastion.port(), 2)) {
            List<Integer> forwards = new ArrayList<>();
            try (OwnedProcess ignored = ReverseForwards.start(ssh, bastion, List.of(target.port()), forwards,
                    dir.resolve("logs"))) {
                Path pins = Files.writeString(dir.resolve("known_hosts_busy"),
                        bastion.hostKey().knownHostsLine("[127.0.0.1]:" + busy.port()) + "\n");

                ProbeOutcome outcome = new ForwardProbe(Duration.ofSeconds(3)).probeAll(List.of(new ForwardProbe.Tunnel(
                        forwards.get(0), BastionAddress.parse("127.0.0.1:" + busy.port()), USER, bastion.clientKey(),
                        pins, Optional.of(new TargetAddress("127.0.0.1", target.port())), Optional.empty()))).get(0);

                assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.TARGET_ANSWERED);
                assertThat(busy.turnedAway()).isEqualTo(2);
            }
        }
    }

    @Test
    void tunnelsWithTheSameBastionLoginKeyAndPinsShareOneLoginAndEachIsStillProbedThroughItsOwnForward()
            throws Exception {
        try (OpenSshBastion bastion = OpenSshBastion.start(dir.resolve("bastion"));
             BannerServer target = BannerServer.start()) {
            List<Integer> forwards = new ArrayList<>();
            try (OwnedProcess ignored = ReverseForwards.start(ssh, bastion, Collections.nCopies(TUNNELS, target.port()),
                    forwards, dir.resolve("logs"))) {
                long before = logins(bastion);
                // the same pins in a file of each tunnel's own, as setup writes them: the same login
                List<ForwardProbe.Tunnel> tunnels = tunnels(bastion, forwards, target.port(),
                        port -> Files.copy(bastion.knownHosts(), dir.resolve("pins_" + port)));
                // one more whose bastion port is not forwarded: on the shared login, and missing
                int unforwarded = Loopback.freePort();
                tunnels.add(tunnel(unforwarded, bastion, bastion.knownHosts(), target.port()));

                List<ProbeOutcome> outcomes = new ForwardProbe(Duration.ofSeconds(3)).probeAll(tunnels);

                assertThat(outcomes.subList(0, TUNNELS)).extracting(ProbeOutcome::result).containsOnly(Result.TARGET_ANSWERED);
                assertThat(outcomes.get(TUNNELS).result()).as(outcomes.get(TUNNELS).detail())
                        .isEqualTo(Result.FORWARD_MISSING);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(logins(bastion) - before).as(bastion.logText()).isEqualTo(1));
            }
        }
    }

    @Test
    void twentyTunnelsToOneSshdThatDropsConnectionsBeyondTenAreAllUpAndNoneOfTheirConnectionsIsDropped() throws Exception {
        // Each probe's connection to the target sshd is unauthenticated while it looks, and for a while after (until
        // the sshd's child has seen it close); twenty at once (or sixteen, the probes' parallelism) would be dropped
        // beyond ten (OpenSSH's default MaxStartups starts dropping there), and a dropped one shows "Exceeded
        // MaxStartups" instead of the greeting: a probe tries again, but none should have to.
        try (OpenSshBastion bastion = OpenSshBastion.start(dir.resolve("bastion"));
             OpenSshBastion sshd = OpenSshBastion.start(dir.resolve("target"), List.of("MaxStartups 10:100:10"))) {
            List<Integer> forwards = new ArrayList<>();
            try (OwnedProcess ignored = ReverseForwards.start(ssh, bastion, Collections.nCopies(TUNNELS, sshd.port()),
                    forwards, dir.resolve("logs"))) {
                List<ForwardProbe.Tunnel> tunnels = forwards.stream()
                        .map(port -> tunnel(port, bastion, bastion.knownHosts(), sshd.port())).toList();
                // from here on, the probes' connections
                int harness = sshd.logText().length();

                for (int round = 1; round <= ROUNDS; round++) {
                    List<ProbeOutcome> outcomes = new ForwardProbe(Duration.ofSeconds(3)).probeAll(tunnels);

                    String report = outcomes.stream().map(o -> o.result() + " " + o.detail())
                            .collect(Collectors.joining("\n  ", "round " + round + ":\n  ", "\n"));
                    assertThat(outcomes).as(report + sshd.diagnostics()).allSatisfy(outcome -> {
                        assertThat(outcome.result()).isEqualTo(Result.TARGET_ANSWERED);
                        // its greeting, not the "Exceeded MaxStartups" it says to a connection it drops
                        assertThat(outcome.detail()).contains("answered through the tunnel: SSH-2.0-OpenSSH");
                    });
                }
                assertThat(sshd.logText().substring(harness)).as("the probes' connections, dropped by the target")
                        .doesNotContain("past MaxStartups");
            }
        }
    }

    /** Where a tunnel's pinned host keys are, written for it. */
    @FunctionalInterface
    private interface PinsOf {
        Path write(int port) throws IOException;
    }

    private static List<ForwardProbe.Tunnel> tunnels(OpenSshBastion bastion, List<Integer> forwards, int targetPort,
                                                     PinsOf pins) throws IOException {
        List<ForwardProbe.Tunnel> tunnels = new ArrayList<>();
        for (int port : forwards) {
            tunnels.add(tunnel(port, bastion, pins.write(port), targetPort));
        }
        return tunnels;
    }

    private static ForwardProbe.Tunnel tunnel(int port, OpenSshBastion bastion, Path pins, int targetPort) {
        return new ForwardProbe.Tunnel(port, BastionAddress.parse("127.0.0.1:" + bastion.port()), USER,
                bastion.clientKey(), pins, Optional.of(new TargetAddress("127.0.0.1", targetPort)), Optional.empty());
    }

    /** The logins the bastion accepted so far, by its log. */
    private static long logins(OpenSshBastion bastion) {
        return bastion.logText().lines().filter(line -> line.contains("Accepted publickey")).count();
    }
}
