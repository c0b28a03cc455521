package io.scitex.tunnel.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void theMedianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        assertThat(Samples.of(9, 1, 5).median()).isEqualTo(5);
    }

    @Test
    void theMedianOfAnEvenCountLiesHalfwayBetweenTheMiddleTwo() {
        assertThat(Samples.of(4, 1, 3, 100).median()).isEqualTo(3.5);
    }

    @Test
    void percentilesInterpolateBetweenRanks() {
        double[] values = {10, 20, 30, 40, 50};
        assertThat(Samples.percentile(values, 0)).isEqualTo(10);
        assertThat(Samples.percentile(values, 100)).isEqualTo(50);
        assertThat(Samples.percentile(values, 99)).isEqualTo(49.6, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void percentilesLeaveTheirInputAlone() {
        double[] values = {3, 1, 2};
        Samples.percentile(values, 50);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void noSamplesIsAnError() {
        assertThatThrownBy(Samples::of).isInstanceOf(IllegalArgumentException.class);
    }
}
