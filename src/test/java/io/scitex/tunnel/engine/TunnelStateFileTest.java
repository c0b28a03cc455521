package io.scitex.tunnel.engine;

import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.scitex.tunnel.model.EngineReport;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunnelStateFileTest {
    private static final Instant NOW = Instant.parse("2026-11-25T01:02:03Z");
    private static final TunnelSpec SPEC = TunnelSpec.builder().port(2222)
            .bastion(BastionAddress.parse("user@bastion.example.com:2200")).target(new TargetAddress("localhost", 8888))
            .key(Path.of("/home/alice/.ssh/id_ed25519")).serviceUser("alice").build();

    @TempDir
    Path dir;

    @Test
    void theFileSaysEverythingAboutTheTunnelAsJson() throws Exception {
        Path file = dir.resolve("run/2222.json");
        TunnelStateFile stateFile = new TunnelStateFile(file, SPEC, Clock.fixed(NOW, ZoneOffset.UTC));
        stateFile.write(new EngineState(TunnelPhase.BACKING_OFF, NOW.minusSeconds(7), 3,
                Optional.of("cannot connect to user@bastion.example.com:2200: Connection refused"),
                new TrafficCounts(2, 1234, 5678)));

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("port").asInt()).isEqualTo(2222);
        assertThat(json.get("bastion").asText()).isEqualTo("user@bastion.example.com:2200");
        assertThat(json.get("target").asText()).isEqualTo("localhost:8888");
        assertThat(json.get("engine").asText()).isEqualTo("native");
        assertThat(json.get("state").asText()).isEqualTo("backing-off");
        assertThat(json.get("since").asText()).isEqualTo("2026-11-25T01:01:56Z");
        assertThat(json.get("reconnects").asInt()).isEqualTo(3);
        assertThat(json.get("last_error").asText()).contains("Connection refused");
        assertThat(json.get("active_connections").asInt()).isEqualTo(2);
        assertThat(json.get("bytes_to_target").asLong()).isEqualTo(1234);
        assertThat(json.get("bytes_from_target").asLong()).isEqualTo(5678);
        assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(json.get("updated").asText()).isEqualTo(NOW.toString());
    }

    @Test
    void eachWriteReplacesTheFileWholeAndLeavesNothingElse() throws Exception {
        Path file = dir.resolve("2222.json");
        TunnelStateFile stateFile = new TunnelStateFile(file, SPEC, Clock.fixed(NOW, ZoneOffset.UTC));
        stateFile.write(new EngineState(TunnelPhase.CONNECTING, NOW, 0, Optional.empty(), TrafficCounts.NONE));
        stateFile.write(new EngineState(TunnelPhase.UP, NOW, 0, Optional.empty(), TrafficCounts.NONE));

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("state").asText()).isEqualTo("up");
        assertThat(json.get("last_error").isNull()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void phasesHaveTheirDocumentedLabels() {
        assertThat(Stream.of(TunnelPhase.values()).map(TunnelPhase::label))
                .containsExactly("connecting", "up", "waiting-for-port", "backing-off", "closed");
    }

    @Test
    void whatTheEngineWritesStatusReadsBack() {
        TunnelStateFile stateFile = new TunnelStateFile(dir.resolve("2222.json"), SPEC, Clock.fixed(NOW, ZoneOffset.UTC));
        String text = stateFile.render(new EngineState(TunnelPhase.UP, NOW.minusSeconds(7), 3,
                Optional.of("the bastion closed the connection"), new TrafficCounts(2, 1234, 5678, 9)));

        EngineReport report = TunnelStateFile.parse(text);

        assertThat(report).isEqualTo(new EngineReport("up", NOW.minusSeconds(7), 3,
                Optional.of("the bastion closed the connection"), 2, 9, 1234, 5678, NOW));
        assertThat(report.isUp()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "not json", "{}", "{\"state\":\"up\"}",
        "{\"state\":\"up\",\"since\":\"yesterday\",\"reconnects\":0,\"active_connections\":0,"
            + "\"bytes_to_target\":0,\"bytes_from_target\":0,\"updated\":\"2026-11-25T01:02:03Z\"}",
        "{\"state\":\"up\",\"since\":\"2026-11-25T01:02:03Z\",\"reconnects\":-1,\"active_connections\":0,"
            + "\"bytes_to_target\":0,\"bytes_from_target\":0,\"updated\":\"2026-11-25T01:02:03Z\"}"})
    void aFileThatIsNoStateFileIsRefused(String text) {
        assertThatThrownBy(() -> TunnelStateFile.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
