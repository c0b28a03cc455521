package io.scitex.tunnel.unit;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders the systemd unit for one tunnel: started once the network is up, restarted forever (a short
 * pause, no start limit), running as the service user. Every value goes through {@link SystemdQuoting}.
 */
public final class TunnelUnit {
    /** Seconds systemd waits before restarting a tunnel whose supervisor exited. */
    public static final int RESTART_SECONDS = 2;
    /** The systemd credential that carries the key's passphrase to the native engine ({@code run} reads it). */
    public static final String PASSPHRASE_CREDENTIAL = "passphrase";
    /**
     * The exit status (EX_CONFIG, 78) with which {@code run} says its configuration can never work: a bad option
     * or value, an unusable key, no pinned host key. The native unit lists it in RestartPreventExitStatus=, so
     * that systemd leaves such a tunnel failed instead of restarting it every few seconds, forever.
     */
    public static final int CONFIGURATION_ERROR_STATUS = 78;
    /**
     * What the sandbox replaces with empty directories of the service's own, and by which setting: the homes
     * ({@code ProtectHome=tmpfs}) and the temporary directories ({@code PrivateTmp=yes}). A path below one of
     * them is hidden from the service unless the unit binds it back in.
     */
    private static final Map<Path, String> HIDDEN = Map.of(Path.of("/home"), "ProtectHome=tmpfs", Path.of("/root"),
            "ProtectHome=tmpfs", Path.of("/run/user"), "ProtectHome=tmpfs", Path.of("/tmp"), "PrivateTmp=yes",
            Path.of("/var/tmp"), "PrivateTmp=yes");

    /** The [Unit] key that records how the target is probed ({@link ProbeKind}); absent in older units. */
    public static final String PROBE_KEY = "X-ScitexTunnelProbe";
    /**
     * The [Unit] key that records the file the key's passphrase was given in (the credential is a root-owned
     * copy of it), so that {@code export} can name it; absent in older units and for paths it cannot hold.
     */
    public static final String PASSPHRASE_SOURCE_KEY = "X-ScitexTunnelPassphraseFrom";

    private TunnelUnit() {}

    /**
     * The directory of the sandbox that hides {@code path} from a tunnel's service, and the setting that hides
     * it (e.g. {@code /tmp} and {@code PrivateTmp=yes}); empty if the service sees {@code path}.
     */
    public static Optional<Map.Entry<Path, String>> hiddenBy(Path path) {
        return HIDDEN.entrySet().stream().filter(hidden -> path.startsWith(hidden.getKey())).findFirst();
    }

    /**
     * The runtime directory systemd makes for a native tunnel's unit ({@code RuntimeDirectory=}), below
     * {@code /run} or a user manager's {@code $XDG_RUNTIME_DIR}: where the engine keeps its live state.
     */
    public static String runtimeDirectory(int port) {
        return "scitex-tunnel-" + port;
    }

    /** The system unit of a tunnel (for {@code /etc/systemd/system}). */
    public static String render(TunnelSpec spec, UnitProgram program, String version) {
        return render(spec, program, version, ServiceScope.SYSTEM, Optional.empty());
    }

    /**
     * The unit of a tunnel for {@code scope}'s service manager. A user's unit names no {@code User=} (the manager
     * runs as the user), is wanted by {@code default.target}, and is sandboxed only with what an unprivileged
     * manager enforces ({@link #USER_HARDENING}).
     *
     * @param pinDirectory the directory of the tunnel's pinned host keys: bound into the sandbox when it lies in
     *                     a directory the sandbox hides (a user's {@code ~/.config})
     */
    public static String render(TunnelSpec spec, UnitProgram program, String version, ServiceScope scope,
                                Optional<Path> pinDirectory) {
        String exec = program.argv().stream().map(SystemdQuoting::execArgument).collect(Collectors.joining(" "));
        StringBuilder unit = new StringBuilder();
        unit.append("# Written by scitex-tunnel ").append(SystemdQuoting.text(version))
                .append(". Change it with `scitex-tunnel setup`, remove it with `scitex-tunnel remove -p ")
                .append(spec.port()).append("`.\n");
        unit.append("[Unit]\n");
        unit.append("Description=").append(SystemdQuoting.text("scitex-tunnel: " + spec.bastion() + " port "
                + spec.port() + " -> " + spec.target()
                + (program.engine() == Engine.NATIVE ? " (native engine)" : ""))).append('\n');
        if (scope == ServiceScope.SYSTEM) {
            // A user's manager has no network-online.target: its tunnel retries until the network is there.
            unit.append("Wants=network-online.target\n");
            unit.append("After=network-online.target\n");
        }
        unit.append("StartLimitIntervalSec=0\n");
        // systemd ignores X- keys; status reads it back to probe the target the way it answers.
        unit.append(PROBE_KEY).append('=').append(spec.probe().label()).append('\n');
        program.passphraseSource().filter(TunnelUnit::isPlainPath).ifPresent(file ->
                unit.append(PASSPHRASE_SOURCE_KEY).append('=').append(file).append('\n'));
        unit.append('\n');
        unit.append("[Service]\n");
        unit.append("Type=simple\n");
        if (scope == ServiceScope.SYSTEM) {
            unit.append("User=").append(spec.serviceUser()).append('\n');
        }
        for (String variable : program.environment()) {
            unit.append("Environment=").append(SystemdQuoting.environmentAssignment(variable)).append('\n');
        }
        unit.append("ExecStart=").append(exec).append('\n');
        appendHardening(unit, spec, program, scope, pinDirectory);
        unit.append("Restart=always\n");
        if (program.engine() == Engine.AUTOSSH) {
            // autossh exits 1 when systemd stops it (SIGTERM): a stop is not a failure.
            unit.append("SuccessExitStatus=1\n");
        } else {
            unit.append("RestartPreventExitStatus=").append(CONFIGURATION_ERROR_STATUS).append('\n');
        }
        unit.append("RestartSec=").append(RESTART_SECONDS).append('\n');
        unit.append("\n[Install]\n");
        unit.append("WantedBy=").append(scope.wantedBy()).append('\n');
        return unit.toString();
    }

    /**
     * A tunnel needs to read its key and pinned host keys, resolve names and open TCP connections; the
     * sandbox takes away everything else. Homes, /tmp and /var/tmp are replaced by empty directories, with
     * only the key (and, for the native engine, its installation and JDK when they live in one of them) bound
     * back in, read-only; the rest of the file system is read-only. systemd sets up the empty directories
     * first and then the binds below them, taking each bind's source from the host, so a path under /tmp
     * reaches the service although /tmp itself stays private.
     */
    private static void appendHardening(StringBuilder unit, TunnelSpec spec, UnitProgram program, ServiceScope scope,
                                        Optional<Path> pinDirectory) {
        unit.append("ProtectHome=tmpfs\n");
        unit.append("BindReadOnlyPaths=").append(SystemdQuoting.pathListEntry(spec.key().toString())).append('\n');
        List<Path> readable = new ArrayList<>(program.readablePaths());
        pinDirectory.ifPresent(readable::add);
        for (Path path : readable) {
            Optional<Path> hidden = HIDDEN.keySet().stream().filter(path::startsWith).findFirst();
            if (hidden.isPresent()) {
                requireBelow(hidden.get(), path);
                unit.append("BindReadOnlyPaths=").append(SystemdQuoting.pathListEntry(path.toString())).append('\n');
            }
        }
        if (program.engine() == Engine.NATIVE) {
            // The engine keeps its live state in $RUNTIME_DIRECTORY/PORT.json; systemd removes it at stop.
            unit.append("RuntimeDirectory=").append(runtimeDirectory(spec.port())).append('\n');
            program.passphraseFile().ifPresent(file -> unit.append("LoadCredential=").append(PASSPHRASE_CREDENTIAL)
                    .append(':').append(credentialPath(file)).append('\n'));
        }
        for (String line : scope == ServiceScope.SYSTEM ? HARDENING : USER_HARDENING) {
            if (line.equals(MEMORY_DENY_WRITE_EXECUTE) && program.engine() == Engine.NATIVE) {
                // The JVM's JIT compilers write machine code and then run it: they need memory that is writable
                // and executable, which MemoryDenyWriteExecute forbids (java would not even start). autossh and
                // ssh are plain binaries and keep it.
                continue;
            }
            unit.append(line).append('\n');
        }
    }

    /**
     * A path that is a hidden directory itself cannot be bound back in without giving the service all of it
     * (every home, or the machine's whole /tmp), and without it the service could not start: such a unit is
     * refused, with the reason.
     */
    private static void requireBelow(Path hidden, Path path) {
        if (path.equals(hidden)) {
            throw new InvalidInputException("the native engine cannot run from " + path + ": the service's sandbox ("
                    + HIDDEN.get(hidden) + ") replaces " + hidden + " with an empty directory, and binding all of it"
                    + " back in would undo that; install scitex-tunnel (or its JDK) in a directory of its own, e.g. "
                    + hidden.resolve("scitex-tunnel") + " or /opt/scitex-tunnel");
        }
    }

    /** The passphrase file named by a unit's {@code LoadCredential=} value, if it is the passphrase credential. */
    public static Optional<Path> passphraseCredential(String loadCredential) {
        String prefix = PASSPHRASE_CREDENTIAL + ":";
        return loadCredential.startsWith(prefix) ? Optional.of(Path.of(loadCredential.substring(prefix.length())))
                : Optional.empty();
    }

    /** An absolute path made only of characters that no unit file setting reads specially. */
    private static boolean isPlainPath(Path file) {
        return file.isAbsolute() && file.toString().matches("[A-Za-z0-9_./@+,-]+");
    }

    /** LoadCredential= takes {@code ID:PATH} without quoting: only plain absolute paths are written. */
    private static String credentialPath(Path file) {
        String text = file.toString();
        if (!isPlainPath(file)) {
            throw new InvalidInputException("passphrase file path " + text + " must be absolute and made of"
                    + " letters, digits and _./@+,- only (systemd's LoadCredential= cannot quote it)");
        }
        return text;
    }

    private static final String MEMORY_DENY_WRITE_EXECUTE = "MemoryDenyWriteExecute=yes";

    private static final List<String> HARDENING = List.of(
            "ProtectSystem=strict",
            "PrivateTmp=yes",
            "PrivateDevices=yes",
            "DevicePolicy=closed",
            "PrivateUsers=yes",
            "PrivateIPC=yes",
            "NoNewPrivileges=yes",
            "CapabilityBoundingSet=",
            "AmbientCapabilities=",
            "ProtectKernelTunables=yes",
            "ProtectKernelModules=yes",
            "ProtectKernelLogs=yes",
            "ProtectControlGroups=yes",
            "ProtectClock=yes",
            "ProtectHostname=yes",
            "ProtectProc=invisible",
            "ProcSubset=pid",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
            "RestrictNamespaces=yes",
            "RestrictRealtime=yes",
            "RestrictSUIDSGID=yes",
            "LockPersonality=yes",
            MEMORY_DENY_WRITE_EXECUTE,
            "SystemCallArchitectures=native",
            "SystemCallFilter=@system-service",
            "SystemCallFilter=~@privileged @resources",
            "KeyringMode=private",
            // Not RemoveIPC=yes: it deletes every IPC object of the service user, system-wide, whenever the unit
            // stops (a human user's database or browser shared memory, at each tunnel restart). PrivateIPC=yes
            // already gives the tunnel an IPC namespace of its own.
            "UMask=0077");

    /**
     * What of {@link #HARDENING} a user's manager (systemd 252) does not apply to a user unit, and why: it may
     * not attach a BPF device filter to a cgroup (DevicePolicy=), it cannot mount a new /proc with hidepid= or
     * subset= in the service's user namespace (ProtectProc=, ProcSubset=: left as they are), and
     * ProtectKernelLogs= makes the service fail to start (226/NAMESPACE) where /proc/kmsg is absent, as in
     * containers. Everything else needs the user namespace PrivateUsers=yes gives, which the list keeps.
     */
    static final List<String> NOT_FOR_USER_MANAGERS = List.of("DevicePolicy=closed", "ProtectProc=invisible",
            "ProcSubset=pid", "ProtectKernelLogs=yes");

    /** A user unit's sandbox: the system one less what a user's manager does not apply. */
    static final List<String> USER_HARDENING = HARDENING.stream().filter(line -> !NOT_FOR_USER_MANAGERS.contains(line))
            .toList();
}
