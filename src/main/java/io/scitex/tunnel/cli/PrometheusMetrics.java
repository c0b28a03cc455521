package io.scitex.tunnel.cli;

import io.scitex.tunnel.engine.TunnelPhase;
import io.scitex.tunnel.model.EngineReport;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.TunnelStatus;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * {@code status --format prometheus}: the Prometheus text exposition format, as node_exporter's textfile
 * collector reads it. Every metric has HELP and TYPE lines, even when no tunnel has a sample for it.
 */
final class PrometheusMetrics {
    private PrometheusMetrics() {}

    static String render(List<TunnelStatus> tunnels) {
        StringBuilder out = new StringBuilder();
        family(out, "scitex_tunnel_up", "gauge",
                "1 if the tunnel reached its target end to end (without probes: its service is active), else 0.");
        for (TunnelStatus t : tunnels) {
            sample(out, "scitex_tunnel_up", t, "", t.isUp() ? "1" : "0");
        }
        family(out, "scitex_tunnel_health", "gauge",
                "1 for the tunnel's health (up, degraded, down, unknown), 0 for the others.");
        for (TunnelStatus t : tunnels) {
            for (Health health : Health.values()) {
                sample(out, "scitex_tunnel_health", t, ",health=\"" + health.label() + "\"",
                        t.health().health() == health ? "1" : "0");
            }
        }
        family(out, "scitex_tunnel_restarts_total", "counter",
                "How often systemd restarted the tunnel's service since it was last started.");
        for (TunnelStatus t : tunnels) {
            sample(out, "scitex_tunnel_restarts_total", t, "", Integer.toString(t.restarts()));
        }
        family(out, "scitex_tunnel_service_start_time_seconds", "gauge",
                "When the tunnel's service (autossh, or the native engine) started, in seconds since the Unix epoch.");
        for (TunnelStatus t : tunnels) {
            t.started().ifPresent(started -> sample(out, "scitex_tunnel_service_start_time_seconds", t, "",
                    Long.toString(started.getEpochSecond())));
        }
        family(out, "scitex_tunnel_probe_duration_seconds", "gauge",
                "How long the end-to-end probe through the tunnel took.");
        for (TunnelStatus t : tunnels) {
            t.health().probeDuration().ifPresent(d -> sample(out, "scitex_tunnel_probe_duration_seconds", t, "",
                    seconds(d.toNanos())));
        }
        engine(out, tunnels);
        return out.toString();
    }

    /** What native tunnels' engines say of themselves; autossh tunnels have no samples here. */
    private static void engine(StringBuilder out, List<TunnelStatus> tunnels) {
        family(out, "scitex_tunnel_engine_phase", "gauge",
                "Native engine: 1 for the phase it is in (connecting, up, waiting-for-port, backing-off, closed), 0 for the others.");
        for (TunnelStatus t : tunnels) {
            t.engine().ifPresent(report -> {
                for (TunnelPhase phase : TunnelPhase.values()) {
                    sample(out, "scitex_tunnel_engine_phase", t, ",phase=\"" + phase.label() + "\"",
                            phase.label().equals(report.phase()) ? "1" : "0");
                }
            });
        }
        counter(out, tunnels, "scitex_tunnel_engine_reconnects_total", "counter",
                "Native engine: sessions it opened after its first attempt.", EngineReport::reconnects);
        counter(out, tunnels, "scitex_tunnel_engine_connections", "gauge",
                "Native engine: connections it relays to the target now.", EngineReport::activeConnections);
        counter(out, tunnels, "scitex_tunnel_engine_connections_total", "counter",
                "Native engine: connections that reached the target since it started.", EngineReport::connectionsTotal);
        family(out, "scitex_tunnel_engine_bytes_total", "counter",
                "Native engine: bytes it relayed, by direction (to_target, from_target).");
        for (TunnelStatus t : tunnels) {
            t.engine().ifPresent(report -> {
                sample(out, "scitex_tunnel_engine_bytes_total", t, ",direction=\"to_target\"",
                        Long.toString(report.bytesToTarget()));
                sample(out, "scitex_tunnel_engine_bytes_total", t, ",direction=\"from_target\"",
                        Long.toString(report.bytesFromTarget()));
            });
        }
    }

    private static void counter(StringBuilder out, List<TunnelStatus> tunnels, String name, String type, String help,
                                ToLongFunction<EngineReport> value) {
        family(out, name, type, help);
        for (TunnelStatus t : tunnels) {
            t.engine().ifPresent(report -> sample(out, name, t, "", Long.toString(value.applyAsLong(report))));
        }
    }

    /** A metric family's HELP and TYPE lines (the bastion's metrics too). */
    static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, TunnelStatus tunnel, String moreLabels, String value) {
        Function<String, String> label = v -> "\"" + escapeLabelValue(v) + "\"";
        out.append(name).append("{port=").append(label.apply(Integer.toString(tunnel.port())))
                .append(",bastion=").append(label.apply(tunnel.bastion().orElse("")))
                .append(moreLabels).append("} ").append(value).append('\n');
    }

    /**
     * Label values escape backslash, double quote and line feed (the exposition format's rule); other control
     * characters are shown escaped first, as everywhere else, so that none reaches a terminal or a scraper.
     */
    static String escapeLabelValue(String value) {
        String printable = Arrays.stream(value.split("\n", -1)).map(Printable::escape).collect(Collectors.joining("\n"));
        return printable.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** HELP text escapes backslash and line feed. */
    static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }
}
