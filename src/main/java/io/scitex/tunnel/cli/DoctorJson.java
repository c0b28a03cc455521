package io.scitex.tunnel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.Finding;
import io.scitex.tunnel.model.TunnelStatus;
import java.util.List;
import java.util.Locale;

/** {@code doctor --json}: one object per tunnel, with its health and every finding with its fix. */
final class DoctorJson {
    private DoctorJson() {}

    static String render(List<Diagnosis> diagnoses) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Diagnosis diagnosis : diagnoses) {
            TunnelStatus tunnel = diagnosis.status();
            ObjectNode node = array.addObject();
            node.put("port", tunnel.port());
            node.put("unit", tunnel.unit());
            node.put("bastion", tunnel.bastion().orElse(null));
            node.put("target", tunnel.target().orElse(null));
            node.put("health", tunnel.health().health().label());
            node.put("detail", tunnel.health().detail());
            node.put("healthy", diagnosis.healthy()); // no finding is a problem: what the exit code says
            StatusJson.dropIns(node, tunnel);
            ArrayNode findings = node.putArray("findings");
            for (Finding finding : diagnosis.findings()) {
                ObjectNode item = findings.addObject();
                item.put("severity", finding.severity().name().toLowerCase(Locale.ROOT));
                item.put("subject", finding.subject());
                item.put("text", finding.text());
                item.put("fix", finding.fix().isEmpty() ? null : finding.fix());
            }
        }
        return array.toPrettyString();
    }
}
