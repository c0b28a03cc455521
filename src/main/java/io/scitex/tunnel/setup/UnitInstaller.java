package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.host.AtomicFile;
import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.service.ServiceManager;
import io.scitex.tunnel.status.UnitDropIns;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a tunnel's unit, its pinned bastion host keys and the copy of its key's passphrase in place and takes
 * them away again: installs and starts a tunnel (undone when that fails), restores what an install replaced,
 * and removes a tunnel. What an administrator put beside the unit is theirs: a mask is replaced only when
 * asked to (and put back on undo), and drop-ins are never deleted, only named. Every directory and file gets
 * its mode set explicitly, whatever root's umask: the service user must read the pins, and only root the
 * passphrase. Each runs holding the port's lock ({@link #lock}): remove takes it itself, setup holds it
 * across install, verification and restore.
 */
public final class UnitInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(UnitInstaller.class);
    /** rwxr-xr-x: the service user must reach the pins below the tunnel's directory. */
    private static final Set<PosixFilePermission> DIRECTORY_MODE = Set.copyOf(PosixFilePermissions.fromString("rwxr-xr-x"));

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
     * A tunnel just installed, and what it replaced: the previous unit, pins and passphrase copy, if there were
     * any.
     *
     * @param unitFile the unit written
     * @param unmasked whether the unit was masked before (setup --force): the mask is put back on undo
     */
    public record Installed(int port, Path unitFile, Optional<String> oldUnit, Optional<String> oldPins,
                            Optional<String> oldPassphrase, boolean unmasked) {
        public boolean replaced() {
            return oldUnit.isPresent();
        }
    }

    /** The known_hosts file holding the bastion host keys the tunnel on {@code port} trusts. */
    Path pinFile(int port) {
        return layout.knownHosts(port);
    }

    /** The root-owned copy of the key's passphrase that the unit of the tunnel on {@code port} loads. */
    Path passphraseFile(int port) {
        return layout.passphrase(port);
    }

    /**
     * Throws unless this process may write units and the tunnels' own files: saying to use sudo, or, when
     * even root cannot (a read-only /etc), that the directory is read-only.
     */
    void requireWritable() {
        Path unitDirectory = layout.scope() == ServiceScope.USER ? nearestExisting(units.directory()) : units.directory();
        if (!Files.isDirectory(unitDirectory) || !Files.isWritable(unitDirectory)) {
            throw new TunnelException(isReadOnly(unitDirectory)
                    ? unitDirectory + " is read-only: no unit can be written there (remount it read-write)"
                    : "cannot write units to " + units.directory() + ": " + remedy());
        }
        Path config = nearestExisting(layout.configDirectory());
        if (!Files.isWritable(config)) {
            throw new TunnelException(isReadOnly(config)
                    ? config + " is read-only: the tunnel's pinned host keys cannot be written to "
                            + layout.configDirectory() + " (remount it read-write)"
                    : "cannot write the tunnel's pinned host keys to " + layout.configDirectory() + ": " + remedy());
        }
    }

    /**
     * What to do when this process may not write a tunnel's files: for a system tunnel, either remedy (the
     * user may have no sudo), with what sets them apart; for a user's own, nothing but their own permissions.
     */
    private String remedy() {
        if (layout.scope() == ServiceScope.USER) {
            return "permission denied (a tunnel of your own lives in your own directories: check who owns them)";
        }
        return SYSTEM_OR_USER;
    }

    /** Both ways to a tunnel for someone who may not write the system's units. */
    public static final String SYSTEM_OR_USER = "run with sudo for a system tunnel (starts at boot, runs as you),"
            + " or add --user for a tunnel of your own without root (in ~/.config/systemd/user, run by your systemd"
            + " user manager: it keeps running after you log out and starts at boot only if you linger,"
            + " loginctl enable-linger)";

    /**
     * Throws unless {@code user}, whom the service runs as, can reach the directory that will hold the
     * tunnel's pinned host keys: without them, ssh would refuse the bastion at every start.
     */
    void requireReachableBy(AsUser user) {
        Path above = nearestExisting(layout.configDirectory().getParent());
        try {
            if (!user.mayEnter(above)) {
                throw new TunnelException(user.user().name() + ", whom the tunnel runs as, cannot enter " + above
                        + ", and so could not read the pinned host keys in " + layout.configDirectory()
                        + ": let them (chmod o+x " + above + ")");
            }
        } catch (IOException e) {
            throw new TunnelException("cannot check whether " + user.user().name() + " can enter " + above + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Throws unless this process may write the unit of the tunnel on {@code port}: it may write units, and the
     * unit is not masked (an administrator's "never start"), unless {@code force} says to replace the mask.
     */
    void requireWritable(int port, boolean force) {
        requireWritable();
        if (!force && units.isMasked(port)) {
            String unit = UnitName.of(port);
            throw new TunnelException(unit + " is masked (" + units.path(port) + " is a link to /dev/null or empty):"
                    + " someone forbade this unit; unmask it first (" + layout.scope().systemctlCommand() + " unmask "
                    + unit + "), or replace the mask with --force");
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
     * Writes the tunnel's pinned host keys, the copy of its key's passphrase (if it has one; an older copy
     * goes) and {@code unit}, then enables and restarts the service; if a step fails, puts back what was there
     * and throws. The caller holds {@link #lock}.
     */
    Installed install(int port, String unit, String pins, Optional<String> passphrase) {
        String name = UnitName.of(port);
        Installed installed = write(port, unit, pins, passphrase);
        try {
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
     * Writes the tunnel's pinned host keys, the copy of its key's passphrase and {@code unit}, and nothing else:
     * the caller reloads systemd and starts the unit (apply, for many tunnels at once). If a write fails, the
     * files are put back as they were ({@link #restoreFiles}) and it throws. The caller holds {@link #lock}.
     */
    Installed write(int port, String unit, String pins, Optional<String> passphrase) {
        Path pinFile = pinFile(port);
        Installed installed;
        try {
            boolean masked = units.isMasked(port);
            installed = new Installed(port, units.path(port), masked ? Optional.empty() : units.read(port),
                    readIfPresent(pinFile), readIfPresent(passphraseFile(port)), masked);
        } catch (IOException e) {
            throw new TunnelException("cannot read the existing tunnel on port " + port + ": " + e.getMessage(), e);
        }
        try {
            createTunnelDirectory(port);
            Files.createDirectories(units.directory()); // a user's ~/.config/systemd/user may not exist yet
            AtomicFile.write(pinFile, pins, AtomicFile.PUBLIC);
            writePassphrase(port, passphrase);
            units.write(port, unit);
            return installed;
        } catch (IOException e) {
            restoreFiles(installed);
            throw new TunnelException("writing the tunnel on port " + port + " failed and was undone: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Puts back what {@link #install} replaced; every step is tried, failures are only logged. The caller
     * holds {@link #lock}.
     */
    void restore(Installed installed) {
        String name = UnitName.of(installed.port());
        try {
            if (installed.oldUnit().isEmpty()) {
                systemctl.disableNow(name);
            }
            restoreFiles(installed);
            systemctl.daemonReload();
            if (installed.oldUnit().isPresent()) {
                systemctl.restart(name);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not fully restore {}: {}", name, e.getMessage());
        }
    }

    /**
     * Puts back the files {@link #write} replaced, without telling systemd: the unit, pins and passphrase copy
     * as they were (or none). Failures are only logged. The caller holds {@link #lock}.
     */
    void restoreFiles(Installed installed) {
        int port = installed.port();
        Optional<String> oldUnit = installed.oldUnit();
        Optional<String> oldPins = installed.oldPins();
        Path pinFile = pinFile(port);
        try {
            writePassphrase(port, installed.oldPassphrase());
            if (oldPins.isPresent()) {
                AtomicFile.write(pinFile, oldPins.get(), AtomicFile.PUBLIC);
            } else {
                Files.deleteIfExists(pinFile);
                deleteIfEmpty(pinFile.getParent());
            }
            if (oldUnit.isPresent()) {
                units.write(port, oldUnit.get());
            } else if (installed.unmasked()) {
                units.mask(port);
            } else {
                units.delete(port);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not fully restore the files of {}: {}", UnitName.of(port), e.getMessage());
        }
    }

    /**
     * Stops, disables and deletes the tunnel on {@code port}, with its pinned host keys and passphrase copy,
     * holding the port's lock: never in the middle of a setup of the port. A mask and the unit's drop-ins are
     * left in place, each named in a warning: they are an administrator's, and would apply to the next tunnel
     * on the port too.
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
        try {
            boolean masked = units.isMasked(port);
            List<Path> dropIns = UnitDropIns.ofThisUnitOnly(dropIns(port), port);
            var stopped = systemctl.disableNow(unit);
            if (!stopped.succeeded() && !masked) {
                warnings.add("stopping " + unit + ": " + stopped.firstErrorLine());
            }
            systemctl.resetFailed(unit); // while it is still loaded; fails harmlessly when it had not failed
            RemoveResult removed = deleteStopped(port, masked, dropIns, warnings);
            deleteIfEmpty(layout.configDirectory());
            systemctl.daemonReload();
            return removed;
        } catch (IOException e) {
            throw new TunnelException("removing " + unit + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Once a tunnel's unit is stopped: deletes the tunnel's own files (its unit, unless that is a mask, its pins
     * and passphrase copy) and its directory if that is empty now, and adds to {@code warnings} the mask and the
     * drop-ins it leaves in place.
     */
    private RemoveResult deleteStopped(int port, boolean masked, List<Path> dropIns, List<String> warnings)
            throws IOException {
        String unit = UnitName.of(port);
        List<Path> deleted = new ArrayList<>();
        List<Path> ours = masked ? List.of(pinFile(port), passphraseFile(port))
                : List.of(units.path(port), pinFile(port), passphraseFile(port));
        for (Path file : ours) {
            if (Files.deleteIfExists(file)) {
                deleted.add(file);
            }
        }
        if (masked) {
            warnings.add(unit + " is masked: left the mask " + units.path(port) + " in place"
                    + " (" + layout.scope().systemctlCommand() + " unmask " + unit + " removes it)");
        }
        for (Path dropIn : dropIns) {
            warnings.add("left " + dropIn + " in place: a drop-in scitex-tunnel did not write, which would change"
                    + " the next tunnel on port " + port + " too; delete it if that is not wanted");
        }
        deleteIfEmpty(layout.tunnelDirectory(port));
        return new RemoveResult(port, unit, deleted, warnings);
    }

    /**
     * Removes the tunnels {@code locks} are held for, all at once, as {@link #remove(int)} removes one: one
     * {@code disable --now} and one {@code reset-failed} for all of them, their files deleted, masks and drop-ins
     * left and named. {@code shown} is what systemd said of them (their drop-ins). The caller reloads systemd.
     */
    List<RemoveResult> removeAll(List<PortLock> locks, Map<String, Map<String, String>> shown) throws IOException {
        if (locks.isEmpty()) {
            return List.of();
        }
        List<String> names = locks.stream().map(lock -> UnitName.of(lock.port())).toList();
        Map<Integer, Boolean> masked = new HashMap<>();
        Map<Integer, List<Path>> dropIns = new HashMap<>();
        for (PortLock lock : locks) {
            int port = lock.port();
            masked.put(port, units.isMasked(port));
            dropIns.put(port, UnitDropIns.ofThisUnitOnly(new UnitDropIns(units).of(port,
                    shown.getOrDefault(UnitName.of(port), Map.of())), port));
        }
        var stopped = systemctl.disableNow(names);
        systemctl.resetFailed(names); // while they are still loaded; fails harmlessly for those that had not failed
        List<RemoveResult> results = new ArrayList<>();
        for (PortLock lock : locks) {
            int port = lock.port();
            List<String> warnings = new ArrayList<>();
            if (!stopped.succeeded() && !masked.get(port)) {
                warnings.add("stopping " + String.join(" ", names) + ": " + stopped.firstErrorLine());
            }
            results.add(deleteStopped(port, masked.get(port), dropIns.get(port), warnings));
        }
        deleteIfEmpty(layout.configDirectory());
        return results;
    }

    /** The unit's drop-ins, those systemd loaded and those on disk, read before the unit is stopped. */
    private List<Path> dropIns(int port) {
        Map<String, String> shown;
        try {
            shown = systemctl.show(List.of(UnitName.of(port)), List.of("Id", UnitDropIns.PROPERTY))
                    .getOrDefault(UnitName.of(port), Map.of());
        } catch (IOException unknown) {
            LOG.debug("cannot read the drop-ins systemd loaded {} with: {}", UnitName.of(port), unknown.getMessage());
            shown = Map.of();
        }
        return new UnitDropIns(units).of(port, shown);
    }

    /** The tool's directory and the tunnel's, readable by all (the pins are public), whatever the umask. */
    private void createTunnelDirectory(int port) throws IOException {
        Files.createDirectories(layout.tunnelDirectory(port));
        for (Path directory : List.of(layout.configDirectory(), layout.tunnelDirectory(port))) {
            Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
        }
    }

    /** The passphrase copy, root's and private (rw-------); none when {@code passphrase} is empty. */
    private void writePassphrase(int port, Optional<String> passphrase) throws IOException {
        if (passphrase.isPresent()) {
            AtomicFile.write(passphraseFile(port), passphrase.get(), PrivateFile.MODE);
        } else {
            Files.deleteIfExists(passphraseFile(port));
        }
    }

    private static Optional<String> readIfPresent(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
    }

    private static Path nearestExisting(Path path) {
        Path existing = path.toAbsolutePath();
        while (!Files.exists(existing) && existing.getParent() != null) {
            existing = existing.getParent();
        }
        return existing;
    }

    /**
     * Whether {@code directory} lies on a read-only file system. Root may write everywhere else, so a
     * directory that root cannot write is read-only too (a read-only bind mount, an immutable directory).
     */
    private static boolean isReadOnly(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try {
            if (Files.getFileStore(directory).isReadOnly()) {
                return true;
            }
        } catch (IOException e) {
            LOG.debug("cannot read the file system of {}: {}", directory, e.getMessage());
        }
        return AsUser.processIsRoot() && !Files.isWritable(directory);
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
