package io.scitex.tunnel.service;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Drives systemd through {@code systemctl}. */
public class Systemctl implements ServiceManager {
    private final CommandRunner runner;

    public Systemctl(CommandRunner runner) {
        this.runner = runner;
    }

    /** Whether systemd is the running init system (the test {@code sd_booted()} makes). */
    @Override
    public boolean isRunning() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    @Override
    public void daemonReload() throws IOException {
        check("daemon-reload");
    }

    @Override
    public void enable(String unit) throws IOException {
        check("enable", "--quiet", unit);
    }

    @Override
    public void restart(String unit) throws IOException {
        check("restart", unit);
    }

    @Override
    public CommandResult disableNow(String unit) throws IOException {
        return run("disable", "--now", "--quiet", unit);
    }

    @Override
    public CommandResult resetFailed(String unit) throws IOException {
        return run("reset-failed", unit);
    }

    @Override
    public void enable(List<String> units) throws IOException {
        if (!units.isEmpty()) {
            check(concat(List.of("enable", "--quiet"), units));
        }
    }

    @Override
    public void restart(List<String> units) throws IOException {
        if (!units.isEmpty()) {
            check(concat(List.of("restart"), units));
        }
    }

    @Override
    public CommandResult disableNow(List<String> units) throws IOException {
        return run(concat(List.of("disable", "--now", "--quiet"), units));
    }

    @Override
    public CommandResult resetFailed(List<String> units) throws IOException {
        return run(concat(List.of("reset-failed"), units));
    }

    private static String[] concat(List<String> verb, List<String> units) {
        List<String> args = new ArrayList<>(verb);
        args.addAll(units);
        return args.toArray(String[]::new);
    }

    /** One {@code systemctl show} for all units. */
    @Override
    public Map<String, Map<String, String>> show(List<String> units, List<String> properties) throws IOException {
        if (units.isEmpty()) {
            return Map.of();
        }
        List<String> args = new ArrayList<>(List.of("show", "--timestamp=unix", "-p", String.join(",", properties)));
        args.addAll(units);
        CommandResult result = check(args.toArray(String[]::new));
        return parseShow(result.stdout());
    }

    /** Parses {@code systemctl show} output: blocks of {@code Key=value} lines separated by blank lines. */
    static Map<String, Map<String, String>> parseShow(String output) {
        Map<String, Map<String, String>> units = new LinkedHashMap<>();
        Map<String, String> block = new HashMap<>();
        for (String line : (output + "\n\n").split("\n", -1)) {
            if (line.isEmpty()) {
                if (block.containsKey("Id")) {
                    units.put(block.get("Id"), Map.copyOf(block));
                }
                block = new HashMap<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                block.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return units;
    }

    private CommandResult check(String... args) throws IOException {
        CommandResult result = run(args);
        if (!result.succeeded()) {
            throw new SystemctlException(result);
        }
        return result;
    }

    private CommandResult run(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("systemctl"));
        argv.addAll(List.of(args));
        return runner.run(argv);
    }

    /** A systemctl command failed; the message is systemctl's own first line. */
    public static final class SystemctlException extends IOException {
        private static final long serialVersionUID = 1L;

        SystemctlException(CommandResult result) {
            super("systemctl " + String.join(" ", result.argv().subList(1, result.argv().size())) + " failed: "
                    + result.firstErrorLine());
        }
    }
}
