package io.scitex.tunnel.service;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.Linger;
import io.scitex.tunnel.model.ServiceScope;
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
    private final ServiceScope scope;
    private final Path runtimeDirectory;

    /** The machine's systemd. */
    public Systemctl(CommandRunner runner) {
        this(runner, ServiceScope.SYSTEM, Path.of("/run"));
    }

    /**
     * The service manager of {@code scope}; for a user's, {@code runtimeDirectory} is their
     * {@code $XDG_RUNTIME_DIR}, handed to systemctl so that it finds the manager even where the environment
     * lacks it (su, runuser, cron).
     */
    public Systemctl(CommandRunner runner, ServiceScope scope, Path runtimeDirectory) {
        this.runner = runner;
        this.scope = scope;
        this.runtimeDirectory = runtimeDirectory;
    }

    /**
     * Whether systemd is the running init system (the test {@code sd_booted()} makes), and for a user scope
     * whether the user's manager runs too (its private socket exists).
     */
    @Override
    public boolean isRunning() {
        return Files.isDirectory(Path.of("/run/systemd/system"))
                && (scope == ServiceScope.SYSTEM || Files.exists(runtimeDirectory.resolve("systemd/private")));
    }

    @Override
    public String notRunningMessage() {
        return scope == ServiceScope.SYSTEM ? ServiceManager.super.notRunningMessage()
                : "your systemd user manager is not running (no " + runtimeDirectory.resolve("systemd/private")
                        + "): it runs while you are logged in, or always once an administrator ran"
                        + " `" + Linger.adminCommand(System.getProperty("user.name")) + "`";
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
        return runner.run(argv(scope, runtimeDirectory, args));
    }

    /** systemctl with {@code args}; for a user's manager through env(1), with their runtime directory. */
    static List<String> argv(ServiceScope scope, Path runtimeDirectory, String... args) {
        List<String> argv = new ArrayList<>();
        if (scope == ServiceScope.USER) {
            argv.addAll(List.of("env", "XDG_RUNTIME_DIR=" + runtimeDirectory));
        }
        argv.add("systemctl");
        scope.flag().ifPresent(argv::add);
        argv.addAll(List.of(args));
        return argv;
    }

    /** A systemctl command failed; the message is systemctl's own first line. */
    public static final class SystemctlException extends IOException {
        private static final long serialVersionUID = 1L;

        SystemctlException(CommandResult result) {
            super(String.join(" ", result.argv().subList(result.argv().indexOf("systemctl"), result.argv().size()))
                    + " failed: " + result.firstErrorLine());
        }
    }
}
