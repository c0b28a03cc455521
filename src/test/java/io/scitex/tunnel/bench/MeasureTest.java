package io.scitex.tunnel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.bench.Measure.Goal;
import org.junit.jupiter.api.Test;

class MeasureTest {
    private static Measure throughput(double nativeEngine, double openSsh) {
        return Measure.named("throughput", "one stream", "MiB/s").goal(Goal.atLeastTimesOpenSsh(1.0))
                .add(Subject.NATIVE, Samples.of(nativeEngine, nativeEngine + 1, nativeEngine - 1))
                .add(Subject.OPENSSH, Samples.of(openSsh)).build();
    }

    @Test
    void theRatioIsOfTheMedians() {
        assertThat(throughput(300, 400).ratio()).hasValueSatisfying(r -> assertThat(r).isEqualTo(0.75));
    }

    @Test
    void aThroughputGoalIsMetAtOrAboveOpenSsh() {
        assertThat(throughput(400, 400).met()).contains(true);
        assertThat(throughput(399, 400).met()).contains(false);
    }

    @Test
    void aBoundIsMissedWhenTheNativeEngineIsSlowerThanOpenSshEvenWithinIt() {
        Measure slower = Measure.named("recovery", "killed", "ms").goal(Goal.atMostAndNoWorseThanOpenSsh(1000, "ms"))
                .add(Subject.NATIVE, Samples.of(600)).add(Subject.OPENSSH, Samples.of(300)).build();
        Measure faster = Measure.named("recovery", "killed", "ms").goal(Goal.atMostAndNoWorseThanOpenSsh(1000, "ms"))
                .add(Subject.NATIVE, Samples.of(200)).add(Subject.OPENSSH, Samples.of(300)).build();
        assertThat(slower.met()).contains(false);
        assertThat(faster.met()).contains(true);
        assertThat(faster.goal().orElseThrow().text()).isEqualTo("≤ 1000 ms, and ≤ OpenSSH");
    }

    @Test
    void aGoalWithoutANativeMeasurementIsNotMet() {
        Measure missing = Measure.named("memory", "idle", "MiB").goal(Goal.atMost(64, "MiB"))
                .add(Subject.OPENSSH, Samples.of(10)).build();
        assertThat(missing.met()).contains(false);
        assertThat(missing.ratio()).isEmpty();
    }

    @Test
    void aMeasureWithoutAGoalHasNoVerdict() {
        Measure plain = Measure.named("cli", "help", "ms").add(Subject.NATIVE, Samples.of(300)).build();
        assertThat(plain.met()).isEmpty();
    }
}
