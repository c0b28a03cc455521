package io.scitex.tunnel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.bench.Measure.Goal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    private final Report report = new Report(Map.of("cores", "2"), List.of(
            Measure.named("Throughput", "one stream", "MiB/s").goal(Goal.atLeastTimesOpenSsh(1.0))
                    .add(Subject.NATIVE, Samples.of(350, 360, 340)).add(Subject.OPENSSH, Samples.of(400))
                    .add(Subject.BASELINE, Samples.of(3200)).build(),
            Measure.named("CLI", "help", "ms").add(Subject.NATIVE, Samples.of(280.4)).build()));

    @Test
    void eachGroupIsATableOfMediansRatiosAndVerdicts() {
        assertThat(report.markdown()).contains("### Throughput", "### CLI",
                "| one stream [MiB/s] | 350 | 400 | 3,200 | 0.88× | ≥ 1.0× OpenSSH | **no** |",
                "| help [ms] | 280 | – | – | – | – | – |");
    }

    @Test
    void theTablesSayWhatTheyWereMeasuredOn() {
        assertThat(report.markdown()).contains("2 cores").contains("Load average (1, 5, 15 min) before: unknown");
    }

    @Test
    void theJsonKeepsEverySample() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report.json());
        JsonNode first = json.get("measures").get(0);
        assertThat(first.get("subjects").get("native").get("samples")).hasSize(3);
        assertThat(first.get("subjects").get("native").get("median").asDouble()).isEqualTo(350);
        assertThat(first.get("met").asBoolean()).isFalse();
        assertThat(json.get("machine").get("cores").asText()).isEqualTo("2");
    }

    @Test
    void numbersKeepAboutThreeSignificantDigits() {
        assertThat(Report.number(1234.6)).isEqualTo("1,235");
        assertThat(Report.number(56.78)).isEqualTo("56.8");
        assertThat(Report.number(0.573)).isEqualTo("0.57");
    }
}
