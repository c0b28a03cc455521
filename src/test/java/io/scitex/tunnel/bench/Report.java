package io.scitex.tunnel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The results of one run, as Markdown tables (one per group, medians and ratios) and as JSON (every sample). */
record Report(Map<String, String> machine, List<Measure> measures) {
    Report {
        machine = Map.copyOf(machine);
        measures = List.copyOf(measures);
    }

    String markdown() {
        StringBuilder out = new StringBuilder("\nRun of ").append(fact("started")).append(" to ").append(fact("finished"))
                .append(": ").append(fact("cores")).append(" cores, ").append(fact("memory")).append(", Linux ")
                .append(fact("kernel")).append("; ").append(fact("java")).append("; ").append(fact("openssh")).append("; ")
                .append(fact("systemd")).append(". Load average (1, 5, 15 min) before: ").append(fact("load_average_before"))
                .append(", after: ").append(fact("load_average_after")).append(".\n");
        String group = null;
        for (Measure measure : measures) {
            if (!measure.group().equals(group)) {
                group = measure.group();
                out.append("\n### ").append(group).append("\n\n| measure | ");
                for (Subject subject : Subject.values()) {
                    out.append(subject.label()).append(" | ");
                }
                out.append("native ÷ OpenSSH | goal | met |\n|---|---|---|---|---|---|---|\n");
            }
            out.append("| ").append(measure.name()).append(" [").append(measure.unit()).append("] | ");
            for (Subject subject : Subject.values()) {
                out.append(measure.median(subject).map(Report::number).orElse("–")).append(" | ");
            }
            out.append(measure.ratio().map(r -> String.format(Locale.ROOT, "%.2f×", r)).orElse("–")).append(" | ")
                    .append(measure.goal().map(Measure.Goal::text).orElse("–")).append(" | ")
                    .append(measure.met().map(met -> met ? "yes" : "**no**").orElse("–")).append(" |\n");
        }
        return out.toString();
    }

    String json() throws com.fasterxml.jackson.core.JsonProcessingException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Measure measure : measures) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("group", measure.group());
            row.put("measure", measure.name());
            row.put("unit", measure.unit());
            Map<String, Object> bySubject = new LinkedHashMap<>();
            measure.samples().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> bySubject.put(
                    e.getKey().name().toLowerCase(Locale.ROOT),
                    medianAndSamples(e.getValue())));
            row.put("subjects", bySubject);
            row.put("native_over_openssh", measure.ratio().orElse(null));
            row.put("goal", measure.goal().map(Measure.Goal::text).orElse(null));
            row.put("met", measure.met().orElse(null));
            rows.add(row);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", new java.util.TreeMap<>(machine));
        document.put("measures", rows);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
    }

    private static Map<String, Object> medianAndSamples(Samples samples) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("median", samples.median());
        entry.put("samples", samples.values());
        return entry;
    }

    private String fact(String key) {
        return machine.getOrDefault(key, "unknown");
    }

    /** Three significant digits at most: the machines are too noisy for more. */
    static String number(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
