package io.scitex.tunnel.cli;

import io.scitex.tunnel.bastion.BastionPort;
import io.scitex.tunnel.bastion.BastionStatus;
import io.scitex.tunnel.bastion.PortHealth;

/**
 * {@code bastion status --format prometheus}: one node_exporter on the bastion watches the whole fleet.
 * Every sample is labelled with the port, the host its key's comment names and the key's fingerprint.
 */
final class BastionMetrics {
    private BastionMetrics() {}

    static String render(BastionStatus.Report report) {
        StringBuilder out = new StringBuilder();
        PrometheusMetrics.family(out, "scitex_tunnel_bastion_port_up", "gauge",
                "1 if a connection to the forwarded port reached a target (it answered), else 0.");
        report.ports().forEach(p -> sample(out, "scitex_tunnel_bastion_port_up", p, "", p.health() == PortHealth.UP ? "1" : "0"));
        PrometheusMetrics.family(out, "scitex_tunnel_bastion_port_health", "gauge",
                "1 for the port's health (up, stale, down, offline), 0 for the others.");
        for (BastionPort p : report.ports()) {
            for (PortHealth health : PortHealth.values()) {
                sample(out, "scitex_tunnel_bastion_port_health", p, ",health=\"" + health.label() + "\"",
                        p.health() == health ? "1" : "0");
            }
        }
        PrometheusMetrics.family(out, "scitex_tunnel_bastion_port_held", "gauge", "1 if an sshd session holds the port, else 0.");
        report.ports().forEach(p -> sample(out, "scitex_tunnel_bastion_port_held", p, "",
                p.health() == PortHealth.OFFLINE ? "0" : "1"));
        PrometheusMetrics.family(out, "scitex_tunnel_bastion_session_start_time_seconds", "gauge",
                "When the session holding the port logged in, in seconds since the Unix epoch.");
        report.ports().forEach(p -> p.since().ifPresent(t -> sample(out,
                "scitex_tunnel_bastion_session_start_time_seconds", p, "", Long.toString(t.getEpochSecond()))));
        PrometheusMetrics.family(out, "scitex_tunnel_bastion_last_seen_time_seconds", "gauge",
                "For a port nobody holds: when sshd's journal last saw a session of its key, in seconds since the Unix epoch.");
        report.ports().forEach(p -> p.lastSeen().ifPresent(t -> sample(out,
                "scitex_tunnel_bastion_last_seen_time_seconds", p, "", Long.toString(t.getEpochSecond()))));
        return out.toString();
    }

    private static void sample(StringBuilder out, String name, BastionPort port, String moreLabels, String value) {
        String key = port.key().map(BastionPort.KeyIdentity::fingerprint).orElse("");
        out.append(name).append("{port=\"").append(port.port()).append("\",host=\"")
                .append(PrometheusMetrics.escapeLabelValue(port.host())).append("\",key=\"")
                .append(PrometheusMetrics.escapeLabelValue(key)).append('"').append(moreLabels).append("} ")
                .append(value).append('\n');
    }
}
