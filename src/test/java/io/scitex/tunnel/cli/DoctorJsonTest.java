package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.Finding;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DoctorJsonTest {
    private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");

    private static TunnelStatus status(int port, String state, Health health, String detail) {
        return new TunnelStatus(port, "autossh-tunnel-" + port + ".service", Optional.of("user@bastion.example.com"),
                Optional.of("localhost:22"), state, "running", Optional.of(NOW), 0, Optional.of(NOW),
                new TunnelHealth(health, detail, NOW, Optional.empty(), Optional.empty()));
    }

    private static final Diagnosis.Facts FINE = new Diagnosis.Facts(Optional.empty(), true, Optional.empty(), true,
            Optional.empty());

    @Test
    void givesEveryTunnelItsHealthAndEveryFindingItsFix() throws Exception {
        Diagnosis healthy = Diagnosis.of(status(2222, "active", Health.UP, "localhost:22 answered"), FINE);
        Diagnosis broken = Diagnosis.of(status(2229, "failed", Health.DOWN, "the service is not running"),
                new Diagnosis.Facts(Optional.empty(), false, Optional.empty(), true, Optional.empty()));

        JsonNode json = new ObjectMapper().readTree(DoctorJson.render(List.of(healthy, broken)));

        assertThat(json.isArray()).isTrue();
        JsonNode first = json.get(0);
        assertThat(first.get("port").asInt()).isEqualTo(2222);
        assertThat(first.get("unit").asText()).isEqualTo("autossh-tunnel-2222.service");
        assertThat(first.get("bastion").asText()).isEqualTo("user@bastion.example.com");
        assertThat(first.get("target").asText()).isEqualTo("localhost:22");
        assertThat(first.get("health").asText()).isEqualTo("up");
        assertThat(first.get("detail").asText()).isEqualTo("localhost:22 answered");
        assertThat(first.get("healthy").asBoolean()).isTrue();
        assertThat(first.get("drop_ins")).isEmpty();
        assertThat(first.get("findings")).hasSize(healthy.findings().size());
        JsonNode service = first.get("findings").get(0);
        assertThat(service.get("severity").asText()).isEqualTo("ok");
        assertThat(service.get("subject").asText()).isEqualTo("service");
        assertThat(service.get("text").asText()).isEqualTo(healthy.findings().get(0).text());
        assertThat(service.get("fix").isNull()).as("nothing to do").isTrue();

        JsonNode second = json.get(1);
        assertThat(second.get("healthy").asBoolean()).isFalse();
        assertThat(second.get("health").asText()).isEqualTo("down");
        Finding problem = broken.findings().stream().filter(f -> f.severity() == Finding.Severity.PROBLEM)
                .findFirst().orElseThrow();
        assertThat(second.get("findings")).anySatisfy(finding -> {
            assertThat(finding.get("severity").asText()).isEqualTo("problem");
            assertThat(finding.get("subject").asText()).isEqualTo(problem.subject());
            assertThat(finding.get("fix").asText()).isEqualTo(problem.fix()).isNotEmpty();
        });
        assertThat(second.get("findings")).anySatisfy(finding -> {
            assertThat(finding.get("severity").asText()).isEqualTo("advice");
            assertThat(finding.get("fix").asText()).isEqualTo("run doctor with sudo");
        });
    }

    @Test
    void aTunnelWhoseUnitNamesNoBastionHasNull() throws Exception {
        TunnelStatus bare = new TunnelStatus(2230, "autossh-tunnel-2230.service", Optional.empty(), Optional.empty(),
                "inactive", "dead", Optional.empty(), 0, Optional.empty(),
                new TunnelHealth(Health.DOWN, "not running", NOW, Optional.empty(), Optional.empty()));

        JsonNode json = new ObjectMapper().readTree(DoctorJson.render(List.of(Diagnosis.of(bare, FINE))));

        assertThat(json.get(0).get("bastion").isNull()).isTrue();
        assertThat(json.get(0).get("target").isNull()).isTrue();
    }

    @Test
    void noTunnelsIsAnEmptyArray() throws Exception {
        assertThat(new ObjectMapper().readTree(DoctorJson.render(List.of()))).isEmpty();
    }
}
