package io.scitex.tunnel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateTrackerTest {
    private static final TunnelSpec SPEC = TunnelSpec.builder().port(2222)
            .bastion(BastionAddress.parse("user@bastion.example.com")).key(Path.of("/k")).serviceUser("alice").build();
    private final List<EngineState> announced = new ArrayList<>();
    private final StateTracker tracker = new StateTracker(SPEC, announced::add, new Traffic(), Optional.empty(),
            Clock.systemUTC());

    @Test
    void aRepeatedRefusalIsAnnouncedOnce() {
        Optional<String> refused = Optional.of("the bastion refused to listen on localhost:2222");
        tracker.enter(TunnelPhase.WAITING_FOR_PORT, 0, refused);
        tracker.enter(TunnelPhase.WAITING_FOR_PORT, 0, refused);
        tracker.enter(TunnelPhase.WAITING_FOR_PORT, 0, refused);
        tracker.enter(TunnelPhase.UP, 0, Optional.empty());

        assertThat(announced).extracting(EngineState::phase).containsExactly(TunnelPhase.WAITING_FOR_PORT, TunnelPhase.UP);
    }

    @Test
    void aNewErrorOrAttemptIsAChangeAndSinceMovesOnlyWithThePhase() {
        tracker.enter(TunnelPhase.BACKING_OFF, 1, Optional.of("a"));
        tracker.enter(TunnelPhase.BACKING_OFF, 1, Optional.of("b"));
        tracker.enter(TunnelPhase.BACKING_OFF, 2, Optional.of("b"));

        assertThat(announced).hasSize(3);
        assertThat(announced.get(2).since()).isEqualTo(announced.get(0).since());
        assertThat(announced.get(2).reconnects()).isEqualTo(2);
    }

    @Test
    void awaitUpReturnsWhenTheTunnelIsUpOrClosed() throws Exception {
        assertThat(tracker.awaitUp(Duration.ofMillis(50))).isFalse();
        Thread up = new Thread(() -> tracker.enter(TunnelPhase.UP, 0, Optional.empty()));
        up.start();
        assertThat(tracker.awaitUp(Duration.ofSeconds(10))).isTrue();
        up.join();
        tracker.enter(TunnelPhase.CLOSED, 0, Optional.empty());
        assertThat(tracker.awaitUp(Duration.ofSeconds(10))).isFalse();
    }
}
