package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.AtomicFile;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.service.ServiceManager;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a tunnel's unit and its pinned bastion host keys in place and takes them away again: installs and
 * starts a tunnel (undone when that fails), restores what an install replaced, and removes a tunnel. Each
 * runs holding the port's lock ({@link #lock}): remove takes it itself, setup holds it across install,
 * verification and restore.
 */
public final class UnitInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(UnitInstaller.class);

    private final SystemLayout layout;
    private final UnitDirectory units;
    private final ServiceManager systemctl;
    private final PortLocks locks;

    public UnitInstaller(SystemLayout layout, UnitDirectory units, ServiceManager systemctl) {
        this(layout, units, systemctl, new PortLocks(layout.lockDirectory(), PortLocks.PATIENCE));
    }

    public UnitInstaller(SystemLayout layout, UnitDirectory units, ServiceManager systemctl, PortLocks locks) {
        this.layout = layout;
        this.units = units;
        this.systemctl = systemctl;
        this.locks = locks;
    }

    /**
     * A tunnel just installed, and what it replaced: the previous unit and pins, if there were any.
     *
     * @param unitFile the unit written
     */
    public record Installed(int port, Path unitFile, Optional<String> oldUnit, Optional<String> oldPins) {
        public boolean replaced() {
            return oldUnit.isPresent();
        }
    }

    /** The known_hosts file holding the bastion host keys the tunnel on {@code port} trusts. */
    Path pinFile(int port) {
        return layout.knownHosts(port);
    }

    /** Throws, saying to use sudo, unless this process may write units. */
    void requireWritable() {
        if (!units.isWritable()) {
            throw new TunnelException("cannot write units to " + units.directory() + ": run with sudo");
        }
    }

    Path unitDirectory() {
        return units.directory();
    }

    /**
     * Takes the lock of {@code port}'s tunnel, waiting a few seconds for a setup or remove under way; throws
     * "port 2222 is being set up by PID 1234" if it does not end in time.
     */
    PortLock lock(int port, PortLocks.Purpose purpose) {
        return locks.acquire(port, purpose);
    }

    /**
     * Writes the tunnel's pinned host keys and {@code unit}, then enables and restarts the service; if a
     * step fails, puts back what was there and throws. The caller holds {@link #lock}.
     */
    Installed install(int port, String unit, String pins) {
        String name = UnitName.of(port);
        Path pinFile = pinFile(port);
        Installed installed;
        try {
            installed = new Installed(port, units.path(port), units.read(port),
                    Files.exists(pinFile) ? Optional.of(Files.readString(pinFile)) : Optional.empty());
        } catch (IOException e) {
            throw new TunnelException("cannot read the existing tunnel on port " + port + ": " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(pinFile.getParent());
            AtomicFile.write(pinFile, pins, AtomicFile.PUBLIC);
            units.write(port, unit);
            systemctl.daemonReload();
            systemctl.enable(name);
            systemctl.restart(name);
            LOG.debug("installed and started {}", name);
            return installed;
        } catch (IOException e) {
            restore(installed);
            throw new TunnelException("setup failed and was undone: " + e.getMessage(), e);
        }
    }

    /**
     * Puts back what {@link #install} replaced; every step is tried, failures are only logged. The caller
     * holds {@link #lock}.
     */
    void restore(Installed installed) {
        int port = installed.port();
        Optional<String> oldUnit = installed.oldUnit();
        Optional<String> oldPins = installed.oldPins();
        String name = UnitName.of(port);
        Path pinFile = pinFile(port);
        try {
            if (oldUnit.isEmpty()) {
                systemctl.disableNow(name);
            }
            if (oldPins.isPresent()) {
                AtomicFile.write(pinFile, oldPins.get(), AtomicFile.PUBLIC);
            } else {
                Files.deleteIfExists(pinFile);
                deleteIfEmpty(pinFile.getParent());
            }
            if (oldUnit.isPresent()) {
                units.write(port, oldUnit.get());
            } else {
                units.delete(port);
            }
            systemctl.daemonReload();
            if (oldUnit.isPresent()) {
                systemctl.restart(name);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not fully restore {}: {}", name, e.getMessage());
        }
    }

    /**
     * Stops, disables and deletes the tunnel on {@code port}, with its pinned host keys, holding the port's
     * lock: never in the middle of a setup of the port.
     */
    public RemoveResult remove(int port) {
        TunnelPort.check(port);
        if (!Files.exists(units.path(port))) {
            throw new NoSuchTunnelException(port);
        }
        systemctl.requireRunning();
        requireWritable();
        try (PortLock lock = lock(port, PortLocks.Purpose.REMOVE)) {
            return remove(lock);
        }
    }

    private RemoveResult remove(PortLock lock) {
        int port = lock.port();
        if (!Files.exists(units.path(port))) {
            throw new NoSuchTunnelException(port); // the setup waited for rolled it back
        }
        String unit = UnitName.of(port);
        List<String> warnings = new ArrayList<>();
        List<Path> deleted = new ArrayList<>();
        try {
            var stopped = systemctl.disableNow(unit);
            if (!stopped.succeeded()) {
                warnings.add("stopping " + unit + ": " + stopped.firstErrorLine());
            }
            systemctl.resetFailed(unit); // while it is still loaded; fails harmlessly when it had not failed
            for (Path file : List.of(units.path(port), pinFile(port))) {
                if (Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            }
            deleteIfEmpty(layout.tunnelDirectory(port));
            deleteIfEmpty(layout.configDirectory());
            systemctl.daemonReload();
        } catch (IOException e) {
            throw new TunnelException("removing " + unit + " failed: " + e.getMessage(), e);
        }
        return new RemoveResult(port, unit, deleted, warnings);
    }

    private static void deleteIfEmpty(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            try (var entries = Files.list(directory)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(directory);
                }
            }
        }
    }
}
