package io.scitex.tunnel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.bastion.BastionPort;
import io.scitex.tunnel.bastion.BastionStatus;
import java.io.UncheckedIOException;
import java.time.Instant;

/** {@code bastion status --json}: {@code ports} (one object per row) and {@code limits} (what could not be seen). */
final class BastionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BastionJson() {}

    static String render(BastionStatus.Report report) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode ports = root.putArray("ports");
        for (BastionPort port : report.ports()) {
            ObjectNode node = ports.addObject();
            node.put("port", port.port());
            ArrayNode binds = node.putArray("binds");
            port.binds().forEach(binds::add);
            node.put("account", port.account().orElse(null));
            node.put("source", port.source().orElse(null));
            node.put("since", port.since().map(Instant::toString).orElse(null));
            node.put("key_type", port.key().map(BastionPort.KeyIdentity::type).orElse(null));
            node.put("fingerprint", port.key().map(BastionPort.KeyIdentity::fingerprint).orElse(null));
            node.put("comment", port.key().map(BastionPort.KeyIdentity::comment).orElse(null));
            node.put("host", port.key().map(BastionPort.KeyIdentity::host).orElse(null));
            node.put("health", port.health().label());
            node.put("up", port.health() == io.scitex.tunnel.bastion.PortHealth.UP);
            node.put("detail", port.detail());
            node.put("last_seen", port.lastSeen().map(Instant::toString).orElse(null));
        }
        ArrayNode limits = root.putArray("limits");
        report.limits().forEach(limits::add);
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().with(new StatusJson.ControlEscapes()).writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
