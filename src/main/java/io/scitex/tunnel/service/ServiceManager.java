package io.scitex.tunnel.service;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The service manager as the workflows use it: whether it runs, reloading units, starting and stopping them,
 * and reading their state. {@link Systemctl} drives systemd; tests hand the workflows a fake.
 */
public interface ServiceManager {
    /** The properties {@code status} needs from each unit. */
    List<String> STATUS_PROPERTIES = List.of("Id", "LoadState", "ActiveState", "SubState",
            "StateChangeTimestamp", "NRestarts", "ExecMainStartTimestamp");

    /** What {@link #notRunningMessage} says of a machine without systemd. */
    String NOT_RUNNING = "systemd is not running on this machine, so there are no tunnel services to manage";

    /** Whether the service manager runs on this machine (for systemd: it is PID 1). */
    boolean isRunning();

    /** For managing tunnels that exist already: throws unless the service manager runs. */
    default void requireRunning() {
        if (!isRunning()) {
            throw new TunnelException(notRunningMessage());
        }
    }

    /** What to tell the user when the service manager does not run. */
    default String notRunningMessage() {
        return NOT_RUNNING;
    }

    void daemonReload() throws IOException;

    void enable(String unit) throws IOException;

    void restart(String unit) throws IOException;

    /** Stops and disables a unit; failures are returned, not thrown, since removal goes on regardless. */
    CommandResult disableNow(String unit) throws IOException;

    CommandResult resetFailed(String unit) throws IOException;

    /**
     * Enables all {@code units}; one call, so that the cost of applying many tunnels does not grow with their
     * number. This default enables them one by one; {@link Systemctl} does it with one command.
     */
    default void enable(List<String> units) throws IOException {
        for (String unit : units) {
            enable(unit);
        }
    }

    /** Restarts all {@code units} (starting those that are stopped); one call, as {@link #enable(List)}. */
    default void restart(List<String> units) throws IOException {
        for (String unit : units) {
            restart(unit);
        }
    }

    /** Forgets the failed state of all {@code units}; one call, failures returned, as {@link #disableNow(List)}. */
    default CommandResult resetFailed(List<String> units) throws IOException {
        CommandResult last = new CommandResult(List.of("systemctl", "reset-failed"), 0, "", "");
        for (String unit : units) {
            last = resetFailed(unit);
        }
        return last;
    }

    /**
     * Stops and disables all {@code units}; failures are returned, as {@link #disableNow(String)} does. This
     * default returns the first failure (or the last success); {@link Systemctl} makes one call.
     */
    default CommandResult disableNow(List<String> units) throws IOException {
        CommandResult first = null;
        for (String unit : units) {
            CommandResult result = disableNow(unit);
            if (first == null || first.succeeded() && !result.succeeded()) {
                first = result;
            }
        }
        return first == null ? new CommandResult(List.of("systemctl", "disable", "--now"), 0, "", "") : first;
    }

    /**
     * Reads the given properties of all given units at once; timestamps come as {@code @SECONDS}. Returns one
     * map per unit, keyed by unit name.
     */
    Map<String, Map<String, String>> show(List<String> units, List<String> properties) throws IOException;
}
