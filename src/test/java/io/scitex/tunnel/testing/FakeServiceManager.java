package io.scitex.tunnel.testing;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.service.ServiceManager;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A service manager that runs nothing: it records every call in order ({@code "restart autossh-tunnel-2222.service"}),
 * keeps each unit's state as a real one would after those calls, and can be told to fail a call or to pause
 * in one. Safe to call from several threads, as two setups at once do.
 */
public final class FakeServiceManager implements ServiceManager {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, String>> states = new ConcurrentHashMap<>();
    private final Map<String, IOException> failures = new ConcurrentHashMap<>();
    private final Map<String, Pause> pauses = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private volatile String stateAfterStart = "active";
    private final AtomicInteger runningChecks = new AtomicInteger();

    private record Pause(CountDownLatch reached, CountDownLatch proceed) {}

    /** A service manager that is not running (a machine without systemd). */
    public FakeServiceManager notRunning() {
        running = false;
        return this;
    }

    /** Makes every later call of {@code verb} ({@code "restart"}, {@code "daemon-reload"}, ...) fail. */
    public FakeServiceManager failing(String verb, String message) {
        failures.put(verb, new IOException("systemctl " + verb + " failed: " + message));
        return this;
    }

    /**
     * Makes the next call of {@code verb} pause, once: it opens {@code reached} and waits (at most a minute)
     * until {@code proceed} opens, as a slow systemctl would.
     */
    public FakeServiceManager pausingOnce(String verb, CountDownLatch reached, CountDownLatch proceed) {
        pauses.put(verb, new Pause(reached, proceed));
        return this;
    }

    /** What a unit's ActiveState becomes when it is (re)started: {@code active}, {@code failed}, ... */
    public FakeServiceManager startsAs(String activeState) {
        stateAfterStart = activeState;
        return this;
    }

    /** Sets what {@code show} reports for the tunnel on {@code port}. */
    public FakeServiceManager state(int port, String activeState, String subState) {
        Map<String, String> properties = new HashMap<>(properties(UnitName.of(port)));
        properties.put("ActiveState", activeState);
        properties.put("SubState", subState);
        states.put(UnitName.of(port), properties);
        return this;
    }

    /** Makes {@code show} report that systemd loaded the tunnel on {@code port} with these drop-ins. */
    public FakeServiceManager dropIns(int port, String... paths) {
        Map<String, String> properties = new HashMap<>(properties(UnitName.of(port)));
        properties.put("DropInPaths", String.join(" ", paths));
        states.put(UnitName.of(port), properties);
        return this;
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** The calls that changed something (everything but {@code show}). */
    public List<String> changes() {
        return calls().stream().filter(call -> !call.startsWith("show")).toList();
    }

    @Override
    public boolean isRunning() {
        runningChecks.incrementAndGet();
        return running;
    }

    @Override
    public void daemonReload() throws IOException {
        call("daemon-reload", "");
    }

    @Override
    public void enable(String unit) throws IOException {
        call("enable", unit);
    }

    @Override
    public void restart(String unit) throws IOException {
        call("restart", unit);
        started(unit);
    }

    private void started(String unit) {
        Map<String, String> properties = new HashMap<>(properties(unit));
        properties.put("ActiveState", stateAfterStart);
        properties.put("SubState", "active".equals(stateAfterStart) ? "running" : "dead");
        properties.put("NRestarts", "0");
        properties.put("ExecMainStartTimestamp", "@1764547200");
        properties.put("StateChangeTimestamp", "@1764547200");
        states.put(unit, properties);
    }

    @Override
    public CommandResult disableNow(String unit) throws IOException {
        call("disable --now", unit);
        states.remove(unit);
        return new CommandResult(List.of("systemctl", "disable", "--now", unit), 0, "", "");
    }

    /** One call for all units, recorded as {@code "enable UNIT UNIT..."}, as systemctl takes them. */
    @Override
    public void enable(List<String> units) throws IOException {
        if (!units.isEmpty()) {
            call("enable", String.join(" ", units));
        }
    }

    /** One call for all units; each unit's state afterwards is as after {@link #restart(String)}. */
    @Override
    public void restart(List<String> units) throws IOException {
        if (units.isEmpty()) {
            return;
        }
        call("restart", String.join(" ", units));
        units.forEach(this::started);
    }

    @Override
    public CommandResult disableNow(List<String> units) throws IOException {
        call("disable --now", String.join(" ", units));
        units.forEach(states::remove);
        List<String> argv = new ArrayList<>(List.of("systemctl", "disable", "--now"));
        argv.addAll(units);
        return new CommandResult(argv, 0, "", "");
    }

    @Override
    public CommandResult resetFailed(List<String> units) throws IOException {
        call("reset-failed", String.join(" ", units));
        List<String> argv = new ArrayList<>(List.of("systemctl", "reset-failed"));
        argv.addAll(units);
        return new CommandResult(argv, 0, "", "");
    }

    @Override
    public CommandResult resetFailed(String unit) throws IOException {
        call("reset-failed", unit);
        return new CommandResult(List.of("systemctl", "reset-failed", unit), 0, "", "");
    }

    @Override
    public Map<String, Map<String, String>> show(List<String> units, List<String> properties) throws IOException {
        call("show", String.join(" ", units));
        Map<String, Map<String, String>> shown = new LinkedHashMap<>();
        for (String unit : units) {
            Map<String, String> values = new HashMap<>(properties(unit));
            values.keySet().retainAll(Set.copyOf(properties));
            shown.put(unit, values);
        }
        return shown;
    }

    private Map<String, String> properties(String unit) {
        return states.getOrDefault(unit, Map.of("Id", unit, "LoadState", "loaded", "ActiveState", "inactive",
                "SubState", "dead", "NRestarts", "0"));
    }

    private void call(String verb, String unit) throws IOException {
        calls.add(unit.isEmpty() ? verb : verb + " " + unit);
        Pause pause = pauses.remove(verb);
        if (pause != null) {
            pause.reached().countDown();
            try {
                pause.proceed().await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted in systemctl " + verb, e);
            }
        }
        IOException failure = failures.get(verb);
        if (failure != null) {
            throw failure;
        }
    }

    /** Sets one property that {@code show} reports for the tunnel on {@code port} ({@code "NRestarts"}, ...). */
    public FakeServiceManager property(int port, String name, String value) {
        Map<String, String> properties = new HashMap<>(properties(UnitName.of(port)));
        properties.put(name, value);
        states.put(UnitName.of(port), properties);
        return this;
    }

    /** Makes {@code show} leave out one property of the tunnel on {@code port}, as if systemd had not set it. */
    public FakeServiceManager withoutProperty(int port, String name) {
        Map<String, String> properties = new HashMap<>(properties(UnitName.of(port)));
        properties.remove(name);
        states.put(UnitName.of(port), properties);
        return this;
    }

    /** How often {@link #isRunning} was asked (it is not among {@link #calls}). */
    public int runningChecks() {
        return runningChecks.get();
    }
}
