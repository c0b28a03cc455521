package io.scitex.tunnel.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ServiceScope;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads tunnels' journals with {@code journalctl -o json}: all units in one call, each line with its time,
 * the PID that logged it and the unit it belongs to.
 */
public class Journalctl implements JournalReader {
    /** The fields read; fewer fields make journalctl's output (and its parsing) smaller. */
    static final String FIELDS = "MESSAGE,_PID,_SYSTEMD_UNIT,UNIT,USER_UNIT,_SYSTEMD_USER_UNIT";
    private final CommandRunner runner;
    private final ServiceScope scope;

    /** The system journal. */
    public Journalctl(CommandRunner runner) {
        this(runner, ServiceScope.SYSTEM);
    }

    /** The journal of {@code scope}'s units: the system's, or with {@code --user} this user's own. */
    public Journalctl(CommandRunner runner, ServiceScope scope) {
        this.runner = runner;
        this.scope = scope;
    }

    /**
     * The journal lines of {@code units} since {@code since}, by unit, oldest first; empty when this user
     * may not read them (journalctl then shows only the user's own journal, and says so).
     */
    @Override
    public Optional<Map<String, List<JournalEvent>>> read(List<String> units, Instant since) throws IOException {
        if (units.isEmpty()) {
            return Optional.of(Map.of());
        }
        CommandResult result = runner.run(argv(scope, units, since));
        if (!result.succeeded() || !isComplete(result.stderr())) {
            return Optional.empty();
        }
        return Optional.of(parse(result.stdout(), units));
    }

    /**
     * Streams one unit's journal to {@code sink} as journalctl produces it: the last {@code lines} lines, and
     * with {@code follow} every new one until journalctl ends. journalctl's own messages (e.g. that this user
     * may not read the system journal) go to stderr. If this JVM is stopped (Ctrl-C), journalctl is stopped
     * with it. Returns journalctl's exit code.
     */
    @Override
    public int stream(String unit, int lines, boolean follow, Consumer<JournalEvent> sink) throws IOException {
        List<String> argv = new ArrayList<>(List.of("journalctl"));
        scope.flag().ifPresent(argv::add);
        argv.addAll(List.of("--no-pager", "-o", "json", "--output-fields=" + FIELDS, "--unit=" + unit,
                "--lines=" + lines));
        if (follow) {
            argv.add("--follow");
        }
        Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Thread stopJournalctl = new Thread(process::destroy, "stop-journalctl");
        Runtime.getRuntime().addShutdownHook(stopJournalctl);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                parseLine(line).ifPresent(entry -> sink.accept(entry.event()));
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException("interrupted while reading the journal", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopJournalctl);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it stops journalctl
            }
        }
    }

    /** {@code journalctl -o json} for the units since a time: one process for all of them. */
    static List<String> argv(ServiceScope scope, List<String> units, Instant since) {
        List<String> argv = new ArrayList<>(List.of("journalctl"));
        scope.flag().ifPresent(argv::add);
        argv.addAll(List.of("--no-pager", "--quiet", "-o", "json", "--output-fields=" + FIELDS,
                "--since=@" + since.getEpochSecond()));
        units.forEach(unit -> argv.add("--unit=" + unit));
        return argv;
    }

    /**
     * Whether journalctl could read the system journal: without permission it reads only the caller's
     * own, exits 0 and says so on stderr (even with {@code --quiet} for "insufficient permissions").
     */
    static boolean isComplete(String stderr) {
        return !stderr.contains("insufficient permissions") && !stderr.contains("not seeing messages");
    }

    /** Parses {@code journalctl -o json} output, one object per line, into lines by unit (only {@code units}). */
    public static Map<String, List<JournalEvent>> parse(String output, List<String> units) {
        Map<String, List<JournalEvent>> byUnit = new HashMap<>();
        units.forEach(unit -> byUnit.put(unit, new ArrayList<>()));
        output.lines().map(Journalctl::parseLine).flatMap(Optional::stream).forEach(line -> {
            List<JournalEvent> events = byUnit.get(line.unit());
            if (events != null) {
                events.add(line.event());
            }
        });
        return byUnit;
    }

    /** One journal entry as read: the unit it belongs to and what it says. */
    public record Line(String unit, JournalEvent event) {}

    /** One {@code journalctl -o json} line; empty for lines that are not entries of a unit. */
    public static Optional<Line> parseLine(String json) {
        if (json.isBlank() || json.charAt(0) != '{') {
            return Optional.empty();
        }
        try {
            JsonNode entry = Json.MAPPER.readTree(json);
            // systemd's own lines name the unit they are about (UNIT, USER_UNIT in a user's manager); a service's
            // lines the unit they came from, a user service's its user unit (its _SYSTEMD_UNIT is user@UID.service).
            String unit = text(entry.get("UNIT")).or(() -> text(entry.get("USER_UNIT")))
                    .or(() -> text(entry.get("_SYSTEMD_USER_UNIT"))).or(() -> text(entry.get("_SYSTEMD_UNIT")))
                    .orElse(null);
            Optional<String> message = text(entry.get("MESSAGE"));
            Optional<String> micros = text(entry.get("__REALTIME_TIMESTAMP"));
            if (unit == null || message.isEmpty() || micros.isEmpty()) {
                return Optional.empty();
            }
            long us = Long.parseLong(micros.get());
            Instant time = Instant.ofEpochSecond(us / 1_000_000, (us % 1_000_000) * 1_000);
            long pid = text(entry.get("_PID")).map(Long::parseLong).orElse(0L);
            return Optional.of(new Line(unit, JournalEvent.of(time, pid, message.get().stripTrailing())));
        } catch (IOException | NumberFormatException malformed) {
            return Optional.empty();
        }
    }

    /** A field's text; journald writes fields that are not valid UTF-8 as arrays of byte values. */
    private static Optional<String> text(JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isArray()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            node.forEach(b -> bytes.write(b.asInt()));
            return Optional.of(bytes.toString(StandardCharsets.UTF_8));
        }
        return Optional.of(node.asText());
    }

    /** Jackson loads hundreds of classes: only when a journal is actually read (not for status --no-probe). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
