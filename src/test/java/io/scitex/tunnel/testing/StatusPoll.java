package io.scitex.tunnel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.host.CommandResult;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** {@code scitex-tunnel status --json -p PORT} in a container, once or until a tunnel's health is the one expected. */
public final class StatusPoll {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SystemdContainer container;
    private final Duration statusRun;

    /** One run: its exit code, the tunnel's object and what it wrote to stderr. */
    public record Status(int exit, JsonNode tunnel, String stderr) {}

    /** @param statusRun how long one status run may take, probes included */
    public StatusPoll(SystemdContainer container, Duration statusRun) {
        this.container = container;
        this.statusRun = statusRun;
    }

    public Status status(int port) throws IOException {
        CommandResult result = container.sh("scitex-tunnel status --json -p " + port);
        JsonNode json = JSON.readTree(result.stdout());
        assertThat(json).as("status --json: %s %s", result.stdout(), result.stderr()).hasSize(1);
        return new Status(result.exitCode(), json.get(0), result.stderr());
    }

    /** Waits until status says {@code health} for {@code port}, with the exit code that goes with it; returns that run. */
    public Status awaitHealth(int port, String health, Duration within) {
        AtomicReference<Status> last = new AtomicReference<>();
        await(port + " " + health).atMost(within.plus(statusRun)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Status status = status(port);
                    last.set(status);
                    assertThat(status.tunnel().get("health").asText()).as("%s", status.tunnel()).isEqualTo(health);
                    assertThat(status.exit()).isEqualTo("up".equals(health) ? 0 : 3);
                });
        return last.get();
    }
}
