package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.setup.UnitInstaller.Installed;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Setup's answer to SIGINT and SIGTERM while it installs and verifies a tunnel: a JVM shutdown hook that puts
 * back what the install replaced, with the same restore a failed install uses, and then lets go of the port's
 * lock. The install, a rollback and the hook take turns: the hook waits for a step under way to end, and no
 * step starts after it. It never ends the JVM itself (the JVM ends after its hooks, with the signal's status).
 */
final class RestoreOnShutdown implements AutoCloseable {
    /** Where shutdown hooks are registered: the JVM's, or a test's. */
    interface Hooks {
        void add(Thread hook);

        void remove(Thread hook);
    }

    /**
     * The JVM's hooks. A signal that came first ends setup here, before it writes; removing a hook while the
     * JVM shuts down is not possible, nor needed.
     */
    static final Hooks RUNTIME = new Hooks() {
        @Override
        public void add(Thread hook) {
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                throw new TunnelException("setup was interrupted before it wrote anything");
            }
        }

        @Override
        public void remove(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it ends this setup
            }
        }
    };

    private final UnitInstaller installer;
    private final PortLock lock;
    private final Hooks hooks;
    private final PrintStream err;
    private final Thread hook = new Thread(this::onShutdown, "scitex-tunnel-restore");
    private Installed installed; // guarded by this
    private boolean restored; // guarded by this
    private boolean done; // guarded by this
    private boolean interrupted; // guarded by this

    private RestoreOnShutdown(UnitInstaller installer, PortLock lock, Hooks hooks, PrintStream err) {
        this.installer = installer;
        this.lock = lock;
        this.hooks = hooks;
        this.err = err;
    }

    /** Registers the hook for the tunnel {@code lock} is held for, until {@link #close}. */
    static RestoreOnShutdown register(UnitInstaller installer, PortLock lock, Hooks hooks, PrintStream err) {
        RestoreOnShutdown guard = new RestoreOnShutdown(installer, lock, hooks, err);
        hooks.add(guard.hook);
        return guard;
    }

    /** {@link UnitInstaller#install}, unless the process is already shutting down. */
    synchronized Installed install(String unit, String pins, Optional<String> passphrase) {
        if (interrupted) {
            throw new TunnelException("setup was interrupted before it wrote anything");
        }
        installed = installer.install(lock.port(), unit, pins, passphrase);
        return installed;
    }

    /** Puts back what the install replaced, once: --rollback and the hook both come here. */
    synchronized void restore() {
        if (installed != null && !restored) {
            restored = true;
            installer.restore(installed);
        }
    }

    /** Setup has finished: a signal from now on leaves the tunnel as it is. Throws if the hook undid it first. */
    synchronized void done() {
        if (interrupted) {
            throw new TunnelException("setup was interrupted, and the tunnel on port " + lock.port() + " put back as it was");
        }
        done = true;
    }

    /** The hook: waits for the step under way, puts back what was there, says so, lets go of the lock. */
    void onShutdown() {
        synchronized (this) {
            interrupted = true;
            if (!done && installed != null && !restored) {
                restore();
                err.println("scitex-tunnel: interrupted: " + (installed.replaced()
                        ? "put back the previous tunnel on port " + lock.port()
                        : "removed the tunnel just set up on port " + lock.port()));
            }
        }
        lock.close();
        err.flush();
    }

    /** Removes the hook: setup has ended, one way or the other. */
    @Override
    public void close() {
        hooks.remove(hook);
    }
}
