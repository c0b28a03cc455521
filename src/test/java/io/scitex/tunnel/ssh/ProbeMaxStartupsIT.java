package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.BusyFront;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.ReverseForwards;
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
 * Probing many tunnels to one bastion does not trip its MaxStartups: a real OpenSSH bastion that drops every
 * unauthenticated connection beyond three ({@code MaxStartups 3:100:3}, much stricter than OpenSSH's default
 * 10:30:100), twenty working forwards held on it by a real ssh, and all twenty probed at once are up, round
 * after round.
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
                List<ForwardProbe.Tunnel> tunnels = forwards.stream().map(port -> new ForwardProbe.Tunnel(port,
                        BastionAddress.parse("127.0.0.1:" + bastion.port()), USER, bastion.clientKey(),
                        bastion.knownHosts(), Optional.of(new TargetAddress("127.0.0.1", target.port())),
                        Optional.empty())).toList();

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
}
