package io.scitex.tunnel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.model.EngineReport;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.status.UsersTunnels;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** {@code status --json}: one object per tunnel, with the field names scripts rely on. */
final class StatusJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatusJson() {}

    /** {@code drop_ins}: the files that change the tunnel's unit beyond its unit file (doctor's JSON has it too). */
    static void dropIns(ObjectNode node, TunnelStatus tunnel) {
        ArrayNode dropIns = node.putArray("drop_ins");
        tunnel.dropIns().forEach(path -> dropIns.add(path.toString()));
    }

    /** {@code engine_state}: what a native tunnel's engine says of itself; null for autossh tunnels (and unread files). */
    static void engineState(ObjectNode node, TunnelStatus tunnel) {
        if (tunnel.engine().isEmpty()) {
            node.putNull("engine_state");
            return;
        }
        EngineReport report = tunnel.engine().get();
        ObjectNode engine = node.putObject("engine_state");
        engine.put("phase", report.phase());
        engine.put("since", report.since().toString());
        engine.put("reconnects", report.reconnects());
        engine.put("last_error", report.lastError().orElse(null));
        engine.put("active_connections", report.activeConnections());
        engine.put("connections_total", report.connectionsTotal());
        engine.put("bytes_to_target", report.bytesToTarget());
        engine.put("bytes_from_target", report.bytesFromTarget());
        engine.put("updated", report.updated().toString());
    }

    static String render(List<TunnelStatus> tunnels) {
        return render(tunnels, ServiceScope.SYSTEM, null);
    }

    /**
     * @param scope whose tunnels they are: {@code scope} says {@code system} or {@code user}
     * @param owner the user whose own tunnels they are (user scope), else null
     */
    static String render(List<TunnelStatus> tunnels, ServiceScope scope, String owner) {
        ArrayNode array = MAPPER.createArrayNode();
        for (TunnelStatus tunnel : tunnels) {
            ObjectNode node = array.addObject();
            put(node, tunnel, scope, owner);
        }
        return write(array);
    }

    /** One tunnel's fields, with its scope and owner. */
    static void put(ObjectNode node, TunnelStatus tunnel, ServiceScope scope, String owner) {
        TunnelHealth health = tunnel.health();
        node.put("port", tunnel.port());
        node.put("unit", tunnel.unit());
        node.put("scope", scope.label());
        node.put("owner", owner);
        node.put("bastion", tunnel.bastion().orElse(null));
        node.put("target", tunnel.target().orElse(null));
        node.put("state", tunnel.state());
        node.put("sub_state", tunnel.subState());
        node.put("since", tunnel.since().map(Instant::toString).orElse(null));
        node.put("restarts", tunnel.restarts());
        node.put("up", tunnel.isUp());
        node.put("health", health.health().label());
        node.put("detail", health.detail());
        node.put("checked_at", health.checkedAt().toString());
        node.put("last_error", health.lastError().map(JournalEvent::message).orElse(null));
        node.put("last_error_at", health.lastError().map(e -> e.time().toString()).orElse(null));
        node.put("probe_seconds", health.probeDuration()
                .map(d -> BigDecimal.valueOf(d.toNanos(), 9).setScale(3, java.math.RoundingMode.HALF_UP))
                .orElse(null));
        node.put("service_started", tunnel.started().map(Instant::toString).orElse(null));
        dropIns(node, tunnel);
        engineState(node, tunnel);
    }

    /** {@code status --all-users --json}: the system's tunnels, then every listed user's own, each with its owner. */
    static String renderAll(List<TunnelStatus> system, List<UsersTunnels.Owned> users) {
        ArrayNode array = MAPPER.createArrayNode();
        system.forEach(tunnel -> put(array.addObject(), tunnel, ServiceScope.SYSTEM, null));
        for (UsersTunnels.Owned user : users) {
            user.tunnels().forEach(tunnel -> put(array.addObject(), tunnel, ServiceScope.USER, user.owner()));
            user.problem().ifPresent(problem -> array.addObject().put("scope", ServiceScope.USER.label())
                    .put("owner", user.owner()).put("error", problem));
        }
        return write(array);
    }

    /** JSON as every command writes it: indented, with control characters escaped ({@link ControlEscapes}). */
    static String write(com.fasterxml.jackson.databind.JsonNode json) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().with(new ControlEscapes()).writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Besides what JSON requires (quote, backslash, C0 controls), DEL, the C1 controls and U+2028/U+2029 are
     * written as JSON's hexadecimal escapes too: the text stays the same to a parser, and no control character
     * reaches a terminal.
     */
    static final class ControlEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii = standardAsciiEscapesForJSON();

        ControlEscapes() {
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return Character.isISOControl(ch) || ch == 0x2028 || ch == 0x2029
                    ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
