package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.bastion.BastionPort;
import io.scitex.tunnel.bastion.BastionStatus;
import io.scitex.tunnel.bastion.PortHealth;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bastion's metrics and JSON; BastionSystemdIT runs promtool over the real output. */
class BastionMetricsTest {
    private static final Instant SINCE = Instant.parse("2026-12-06T20:00:00Z");
    private static final BastionPort UP = new BastionPort(2251, List.of("127.0.0.1", "::1"), Optional.of("tunnel"),
            Optional.of("127.0.0.1:40001"), Optional.of(SINCE),
            Optional.of(new BastionPort.KeyIdentity("ssh-ed25519", "SHA256:abc", "scitex-tunnel-2251@gpu01", "gpu01")),
            PortHealth.UP, "127.0.0.1:2251 answered: SSH-2.0-OpenSSH_9.2", Optional.empty());
    private static final BastionPort OFFLINE = new BastionPort(2253, List.of(), Optional.of("tunnel"), Optional.empty(),
            Optional.empty(), Optional.of(new BastionPort.KeyIdentity("ssh-ed25519", "SHA256:def",
                    "scitex-tunnel-2253@ev\"il\n\u001b", "ev\"il\n\u001b")),
            PortHealth.OFFLINE, "nobody holds it", Optional.of(SINCE.plusSeconds(60)));
    private static final BastionStatus.Report REPORT = new BastionStatus.Report(List.of(UP, OFFLINE), List.of());

    @Test
    void everyFamilyHasHelpAndTypeAndEverySampleNamesPortHostAndKey() {
        String metrics = BastionMetrics.render(REPORT);

        assertThat(metrics).contains("# HELP scitex_tunnel_bastion_port_up ", "# TYPE scitex_tunnel_bastion_port_up gauge\n",
                "scitex_tunnel_bastion_port_up{port=\"2251\",host=\"gpu01\",key=\"SHA256:abc\"} 1\n",
                "scitex_tunnel_bastion_port_health{port=\"2251\",host=\"gpu01\",key=\"SHA256:abc\",health=\"up\"} 1\n",
                "scitex_tunnel_bastion_port_health{port=\"2251\",host=\"gpu01\",key=\"SHA256:abc\",health=\"stale\"} 0\n",
                "scitex_tunnel_bastion_port_held{port=\"2253\",host=\"ev\\\"il\\n\\\\x1b\",key=\"SHA256:def\"} 0\n",
                "scitex_tunnel_bastion_session_start_time_seconds{port=\"2251\",host=\"gpu01\",key=\"SHA256:abc\"} 1796587200\n",
                "scitex_tunnel_bastion_last_seen_time_seconds{port=\"2253\",");
        assertThat(metrics).doesNotContain("\u001b");
        for (String line : metrics.split("\n")) {
            assertThat(line).matches("# (HELP|TYPE) scitex_tunnel_bastion_\\w+ .+|scitex_tunnel_bastion_\\w+\\{port=\"\\d+\",host=\"[^\\n]*\",key=\"[^\"]*\"[^}]*\\} [01]\\d*");
        }
    }

    @Test
    void noPortsStillDescribesEveryFamily() {
        String metrics = BastionMetrics.render(new BastionStatus.Report(List.of(), List.of()));

        assertThat(metrics.lines().filter(l -> l.startsWith("# TYPE "))).hasSize(5);
        assertThat(metrics.lines().filter(l -> !l.startsWith("#"))).isEmpty();
    }

    @Test
    void jsonHasTheFieldsScriptsReadWithControlCharactersEscaped() throws Exception {
        String text = BastionJson.render(new BastionStatus.Report(List.of(UP, OFFLINE), List.of("not root: ...")));
        JsonNode json = new ObjectMapper().readTree(text);

        JsonNode up = json.get("ports").get(0);
        assertThat(up.get("port").asInt()).isEqualTo(2251);
        assertThat(up.get("binds")).hasSize(2);
        assertThat(up.get("account").asText()).isEqualTo("tunnel");
        assertThat(up.get("source").asText()).isEqualTo("127.0.0.1:40001");
        assertThat(up.get("since").asText()).isEqualTo("2026-12-06T20:00:00Z");
        assertThat(up.get("key_type").asText()).isEqualTo("ssh-ed25519");
        assertThat(up.get("fingerprint").asText()).isEqualTo("SHA256:abc");
        assertThat(up.get("comment").asText()).isEqualTo("scitex-tunnel-2251@gpu01");
        assertThat(up.get("host").asText()).isEqualTo("gpu01");
        assertThat(up.get("health").asText()).isEqualTo("up");
        assertThat(up.get("up").asBoolean()).isTrue();
        assertThat(json.get("ports").get(1).get("last_seen").asText()).isEqualTo("2026-12-06T20:01:00Z");
        assertThat(json.get("limits").get(0).asText()).startsWith("not root");
        assertThat(text).doesNotContain("\u001b").containsIgnoringCase("\\u001b");
    }
}
