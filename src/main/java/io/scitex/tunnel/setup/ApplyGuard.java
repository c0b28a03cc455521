package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.setup.UnitInstaller.Installed;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Apply's answer to SIGINT and SIGTERM, as {@link RestoreOnShutdown} is setup's: until apply has verified what
 * it wrote, a JVM shutdown hook puts back every tunnel it had written (with the restore a failure uses) and then
 * lets go of the ports' locks. Writes, systemctl steps and the hook take turns; no step starts after the hook.
 */
final class ApplyGuard implements AutoCloseable {
    /** A step that talks to systemd. */
    interface Step {
        void run() throws IOException;
    }

    private final UnitInstaller installer;
    private final List<PortLock> locks;
    private final RestoreOnShutdown.Hooks hooks;
    private final PrintStream err;
    private final Thread hook = new Thread(this::onShutdown, "scitex-tunnel-apply-restore");
    private final List<Installed> written = new ArrayList<>(); // guarded by this
    private boolean done; // guarded by this
    private boolean interrupted; // guarded by this

    private ApplyGuard(UnitInstaller installer, List<PortLock> locks, RestoreOnShutdown.Hooks hooks, PrintStream err) {
        this.installer = installer;
        this.locks = List.copyOf(locks);
        this.hooks = hooks;
        this.err = err;
    }

    static ApplyGuard register(UnitInstaller installer, List<PortLock> locks, RestoreOnShutdown.Hooks hooks,
                               PrintStream err) {
        ApplyGuard guard = new ApplyGuard(installer, locks, hooks, err);
        hooks.add(guard.hook);
        return guard;
    }

    /** Writes one tunnel's files, unless the process is shutting down; the hook will put them back. */
    synchronized Installed write(Supplier<Installed> write) {
        requireNotInterrupted();
        Installed installed = write.get();
        written.add(installed);
        return installed;
    }

    /** Runs a systemctl step (or a restore), unless the process is shutting down. */
    synchronized void step(Step step) throws IOException {
        requireNotInterrupted();
        step.run();
    }

    /** Puts back one written tunnel (it failed); the hook leaves it alone from now on. */
    synchronized void restore(Installed installed) {
        if (written.remove(installed)) {
            installer.restore(installed);
        }
    }

    /** Apply has verified what it wrote: a signal from now on leaves the tunnels as they are. */
    synchronized void done() {
        requireNotInterrupted();
        done = true;
    }

    private void requireNotInterrupted() {
        if (interrupted) {
            throw new TunnelException("apply was interrupted; the tunnels it had written were put back as they were");
        }
    }

    /** The hook: waits for the step under way, puts back what apply wrote, says so, lets go of the locks. */
    void onShutdown() {
        synchronized (this) {
            interrupted = true;
            if (!done && !written.isEmpty()) {
                written.forEach(installer::restore);
                err.println("scitex-tunnel: interrupted: put back the " + written.size() + " tunnel(s) apply had written");
                written.clear();
            }
        }
        locks.forEach(PortLock::close);
        err.flush();
    }

    @Override
    public void close() {
        hooks.remove(hook);
    }
}
