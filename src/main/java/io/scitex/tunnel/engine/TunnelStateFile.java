package io.scitex.tunnel.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.host.AtomicFile;
import io.scitex.tunnel.model.EngineReport;
import io.scitex.tunnel.model.TunnelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The live state of one tunnel as a small JSON file, replaced atomically on every write so that a reader
 * never sees half of it: phase, since when, reconnects, last error, open connections, bytes each way.
 */
public final class TunnelStateFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final TunnelSpec spec;
    private final Clock clock;

    /** The most a state file holds: a few hundred bytes; anything far larger is not one. */
    public static final int MAX_BYTES = 64 * 1024;

    TunnelStateFile(Path file, TunnelSpec spec, Clock clock) {
        this.file = file;
        this.spec = spec;
        this.clock = clock;
    }

    /**
     * What a state file says, as {@link #render} wrote it; {@link IllegalArgumentException} when it is not such
     * a file (a field missing or of the wrong type).
     */
    public static EngineReport parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        try {
            JsonNode error = node.get("last_error");
            return new EngineReport(text(node, "state"), Instant.parse(text(node, "since")), number(node, "reconnects"),
                    error == null || error.isNull() ? Optional.empty() : Optional.of(error.asText()),
                    number(node, "active_connections"),
                    node.has("connections_total") ? number(node, "connections_total") : number(node, "active_connections"),
                    number(node, "bytes_to_target"), number(node, "bytes_from_target"), Instant.parse(text(node, "updated")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("a time that is none: " + e.getParsedString());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("no text field \"" + field + "\"");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new IllegalArgumentException("no count field \"" + field + "\"");
        }
        return value.asLong();
    }

    Path path() {
        return file;
    }

    void write(EngineState state) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.write(file, render(state) + "\n", AtomicFile.PUBLIC);
    }

    String render(EngineState state) {
        ObjectNode node = JSON.createObjectNode();
        node.put("port", spec.port());
        node.put("bastion", spec.bastion().toString());
        node.put("target", spec.target().toString());
        node.put("engine", "native");
        node.put("state", state.phase().label());
        node.put("since", state.since().toString());
        node.put("reconnects", state.reconnects());
        node.put("last_error", state.lastError().orElse(null));
        node.put("active_connections", state.traffic().activeConnections());
        node.put("connections_total", state.traffic().connectionsTotal());
        node.put("bytes_to_target", state.traffic().bytesToTarget());
        node.put("bytes_from_target", state.traffic().bytesFromTarget());
        node.put("pid", ProcessHandle.current().pid());
        node.put("updated", clock.instant().toString());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree of plain values always renders", e);
        }
    }
}
