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
     * Reads the given properties of all given units at once; timestamps come as {@code @SECONDS}. Returns one
     * map per unit, keyed by unit name.
     */
    Map<String, Map<String, String>> show(List<String> units, List<String> properties) throws IOException;
}
