package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The JSON, Prometheus and log-line renderings of what status and logs found. */
class StatusRenderingTest {
    private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");
    private static final JournalEvent REFUSED = JournalEvent.of(Instant.parse("2026-11-25T00:59:58.5Z"), 288,
            "Error: remote port forwarding failed for listen port 2229");

    private static TunnelStatus up() {
        return new TunnelStatus(2222, "autossh-tunnel-2222.service", Optional.of("user@bastion.example.com"),
                Optional.of("localhost:22"), "active", "running", Optional.of(NOW.minusSeconds(60)), 0,
                Optional.of(NOW.minusSeconds(61)), new TunnelHealth(Health.UP, "localhost:22 answered", NOW,
                Optional.empty(), Optional.of(new ProbeOutcome(ProbeOutcome.Result.TARGET_ANSWERED, "ok",
                Duration.ofMillis(23)))));
    }

    private static TunnelStatus down(String bastion) {
        return new TunnelStatus(2229, "autossh-tunnel-2229.service", Optional.of(bastion), Optional.empty(),
                "active", "running", Optional.empty(), 7, Optional.empty(),
                new TunnelHealth(Health.DOWN, "the bastion refused to forward port 2229", NOW, Optional.of(REFUSED),
                        Optional.empty()));
    }

    @Test
    void jsonKeepsTheOldFieldsAndAddsHealth() throws Exception {
        JsonNode json = new ObjectMapper().readTree(StatusJson.render(List.of(up(), down("user@b"))));

        JsonNode first = json.get(0);
        assertThat(first.get("port").asInt()).isEqualTo(2222);
        assertThat(first.get("unit").asText()).isEqualTo("autossh-tunnel-2222.service");
        assertThat(first.get("state").asText()).isEqualTo("active");
        assertThat(first.get("sub_state").asText()).isEqualTo("running");
        assertThat(first.get("since").asText()).isEqualTo("2026-11-25T00:59:00Z");
        assertThat(first.get("restarts").asInt()).isZero();
        assertThat(first.get("up").asBoolean()).isTrue();
        assertThat(first.get("health").asText()).isEqualTo("up");
        assertThat(first.get("detail").asText()).isEqualTo("localhost:22 answered");
        assertThat(first.get("checked_at").asText()).isEqualTo("2026-11-25T01:00:00Z");
        assertThat(first.get("last_error").isNull()).isTrue();
        assertThat(first.get("probe_seconds").decimalValue()).isEqualByComparingTo("0.023");
        JsonNode second = json.get(1);
        assertThat(second.get("up").asBoolean()).isFalse();
        assertThat(second.get("health").asText()).isEqualTo("down");
        assertThat(second.get("last_error").asText()).isEqualTo(REFUSED.message());
        assertThat(second.get("last_error_at").asText()).isEqualTo("2026-11-25T00:59:58.500Z");
        assertThat(second.get("target").isNull()).isTrue();
        assertThat(second.get("probe_seconds").isNull()).isTrue();
        assertThat(first.get("drop_ins")).as("none changes the unit").isEmpty();
    }

    @Test
    void jsonListsTheDropInsThatChangeTheUnit() throws Exception {
        TunnelStatus changed = up().withDropIns(List.of(Path.of("/etc/systemd/system/autossh-tunnel-2222.service.d/a.conf"),
                Path.of("/run/systemd/system/autossh-tunnel-2222.service.d/b\nc.conf")));

        JsonNode json = new ObjectMapper().readTree(StatusJson.render(List.of(changed)));

        assertThat(json.get(0).get("drop_ins")).extracting(JsonNode::asText).containsExactly(
                "/etc/systemd/system/autossh-tunnel-2222.service.d/a.conf",
                "/run/systemd/system/autossh-tunnel-2222.service.d/b\nc.conf");
    }

    /** A sample line of the text exposition format: name, labels with escaped values, a float value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\} -?[0-9.e+]+");

    @Test
    void prometheusOutputFollowsTheTextFormatAndEscapesLabelValues() {
        String hostile = "us\"er\\@bastion\nexample";
        String metrics = PrometheusMetrics.render(List.of(up(), down(hostile)));

        for (String line : metrics.split("\n")) {
            if (line.startsWith("# ")) {
                assertThat(line).matches("# (HELP [a-z_]+ .+|TYPE [a-z_]+ (gauge|counter))");
            } else {
                assertThat(line).matches(SAMPLE);
            }
        }
        assertThat(metrics).contains(
                "# TYPE scitex_tunnel_up gauge",
                "scitex_tunnel_up{port=\"2222\",bastion=\"user@bastion.example.com\"} 1",
                "scitex_tunnel_up{port=\"2229\",bastion=\"us\\\"er\\\\@bastion\\nexample\"} 0",
                "scitex_tunnel_health{port=\"2229\",bastion=\"us\\\"er\\\\@bastion\\nexample\",health=\"down\"} 1",
                "scitex_tunnel_health{port=\"2229\",bastion=\"us\\\"er\\\\@bastion\\nexample\",health=\"up\"} 0",
                "# TYPE scitex_tunnel_restarts_total counter",
                "scitex_tunnel_restarts_total{port=\"2229\",bastion=\"us\\\"er\\\\@bastion\\nexample\"} 7",
                "scitex_tunnel_service_start_time_seconds{port=\"2222\",bastion=\"user@bastion.example.com\"} 1795568339",
                "scitex_tunnel_probe_duration_seconds{port=\"2222\",bastion=\"user@bastion.example.com\"} 0.023");
        assertThat(metrics).doesNotContain("scitex_tunnel_probe_duration_seconds{port=\"2229\"");
        assertThat(metrics.lines().filter(l -> l.startsWith("# TYPE"))).hasSize(10);
    }

    @Test
    void logLinesGetATimeAndATagColumn() {
        assertThat(LogsCommand.format(REFUSED, ZoneOffset.UTC))
                .isEqualTo("2026-11-25 00:59:58  refused     Error: remote port forwarding failed for listen port 2229");
        assertThat(LogsCommand.format(JournalEvent.of(NOW, 1, "short poll time"), ZoneOffset.UTC))
                .isEqualTo("2026-11-25 01:00:00              short poll time");
    }

    @Test
    void logLinesShowControlCharactersFromTheJournalEscaped() {
        JournalEvent hostile = JournalEvent.of(NOW, 1, "Disconnected: \u001b]0;pwned\u0007\u001b[2J\u009b31m\rgone");

        assertThat(LogsCommand.format(hostile, ZoneOffset.UTC))
                .isEqualTo("2026-11-25 01:00:00              Disconnected: \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\x0dgone");
    }

    @Test
    void jsonEscapesEveryControlCharacterAndKeepsTheText() throws Exception {
        String hostile = "said \u001b[2J\u0007 \u007f \u009b31m \u2028 é";
        TunnelStatus tunnel = up().withHealth(new TunnelHealth(Health.DOWN, hostile, NOW, Optional.empty(),
                Optional.empty()));

        String json = StatusJson.render(List.of(tunnel));

        assertThat(json.codePoints().filter(cp -> cp != '\n' && (Character.isISOControl(cp) || cp == 0x2028)))
                .as(json).isEmpty();
        assertThat(json).contains("é");
        assertThat(new ObjectMapper().readTree(json).get(0).get("detail").asText()).isEqualTo(hostile);
    }

    @Test
    void prometheusLabelValuesShowControlCharactersEscaped() {
        String metrics = PrometheusMetrics.render(List.of(down("user@bastion\u001b[2J\u0007")));

        assertThat(metrics.codePoints().filter(cp -> cp != '\n' && Character.isISOControl(cp))).as(metrics).isEmpty();
        assertThat(metrics).contains("scitex_tunnel_up{port=\"2229\",bastion=\"user@bastion\\\\x1b[2J\\\\x07\"} 0");
    }
}
