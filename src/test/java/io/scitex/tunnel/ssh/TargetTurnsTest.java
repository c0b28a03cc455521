package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TargetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** {@link TargetTurns}: at most so many probes at one target at a time, each target on its own. */
class TargetTurnsTest {
    private static ForwardProbe.Tunnel tunnel(int port, Optional<TargetAddress> target) {
        return new ForwardProbe.Tunnel(port, BastionAddress.parse("bastion.example.com"), "tunnel", Path.of("/k"),
                Path.of("/p"), target, Optional.empty());
    }

    private static ForwardProbe.Tunnel toSshd(int port) {
        return tunnel(port, Optional.of(new TargetAddress("LOCALHOST", 22)));
    }

    @Test
    void oneProbeMoreThanATargetsTurnsWaitsUntilOneIsGivenBack() throws Exception {
        TargetTurns targets = new TargetTurns();
        List<TargetTurns.Turn> taken = new ArrayList<>();
        for (int i = 0; i < TargetTurns.PER_TARGET; i++) {
            taken.add(targets.take(toSshd(2222 + i)));
        }
        CompletableFuture<TargetTurns.Turn> next = CompletableFuture.supplyAsync(() -> take(targets,
                tunnel(2300, Optional.of(new TargetAddress("localhost", 22)))));

        assertThat(waitsFor(next)).as("one more, the same target in other letters").isTrue();
        taken.get(0).close();
        assertThat(next.get(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void otherTargetsAndTunnelsOfUnknownTargetHaveTurnsOfTheirOwn() throws Exception {
        TargetTurns targets = new TargetTurns();
        for (int i = 0; i < TargetTurns.PER_TARGET; i++) {
            targets.take(toSshd(2222 + i));
        }

        assertThat(targets.take(tunnel(2400, Optional.of(new TargetAddress("localhost", 8888))))).isNotNull();
        for (int i = 0; i < TargetTurns.PER_TARGET + 1; i++) {
            assertThat(targets.take(tunnel(2500 + i, Optional.empty()))).isNotNull();
        }
    }

    private static TargetTurns.Turn take(TargetTurns targets, ForwardProbe.Tunnel tunnel) {
        try {
            return targets.take(tunnel);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitsFor(CompletableFuture<?> future) throws Exception {
        try {
            future.get(300, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException stillWaiting) {
            return true;
        }
    }

    @Test
    void aTargetThatAnsweredAsNoSshdHasMoreTurnsAndATurnGivesBackOnlyOnce() throws Exception {
        TargetTurns targets = new TargetTurns();
        TargetTurns.Turn first = targets.take(toSshd(2222));
        first.notAnSshd();
        first.notAnSshd();
        first.close();
        first.close();
        List<TargetTurns.Turn> taken = new ArrayList<>();
        for (int i = 0; i < TargetTurns.PER_OTHER_TARGET; i++) {
            taken.add(targets.take(toSshd(2300 + i)));
        }

        CompletableFuture<TargetTurns.Turn> next = CompletableFuture.supplyAsync(() -> take(targets, toSshd(2400)));
        assertThat(waitsFor(next)).as("one more than " + TargetTurns.PER_OTHER_TARGET).isTrue();
        taken.get(0).close();
        assertThat(next.get(5, TimeUnit.SECONDS)).isNotNull();
    }
}
