package io.scitex.tunnel.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.host.AtomicFile;
import io.scitex.tunnel.model.TunnelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The live state of one tunnel as a small JSON file, replaced atomically on every write so that a reader
 * never sees half of it: phase, since when, reconnects, last error, open connections, bytes each way.
 */
final class TunnelStateFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final TunnelSpec spec;
    private final Clock clock;

    TunnelStateFile(Path file, TunnelSpec spec, Clock clock) {
        this.file = file;
        this.spec = spec;
        this.clock = clock;
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
