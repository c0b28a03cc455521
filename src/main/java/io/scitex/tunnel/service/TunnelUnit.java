package io.scitex.tunnel.service;

import io.scitex.tunnel.model.TunnelSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the systemd unit for one tunnel: started once the network is up, restarted forever (a short
 * pause, no start limit), running as the service user. Every value goes through {@link SystemdQuoting}.
 */
public final class TunnelUnit {
    /** Seconds systemd waits before restarting a tunnel whose supervisor exited. */
    public static final int RESTART_SECONDS = 2;

    private TunnelUnit() {}

    public static String render(TunnelSpec spec, List<String> argv, List<String> environment, String version) {
        String exec = argv.stream().map(SystemdQuoting::execArgument).collect(Collectors.joining(" "));
        StringBuilder unit = new StringBuilder();
        unit.append("# Written by scitex-tunnel ").append(SystemdQuoting.text(version))
                .append(". Change it with `scitex-tunnel setup`, remove it with `scitex-tunnel remove -p ")
                .append(spec.port()).append("`.\n");
        unit.append("[Unit]\n");
        unit.append("Description=").append(SystemdQuoting.text("scitex-tunnel: " + spec.bastion() + " port "
                + spec.port() + " -> " + spec.target())).append('\n');
        unit.append("Wants=network-online.target\n");
        unit.append("After=network-online.target\n");
        unit.append("StartLimitIntervalSec=0\n\n");
        unit.append("[Service]\n");
        unit.append("Type=simple\n");
        unit.append("User=").append(spec.serviceUser()).append('\n');
        for (String variable : environment) {
            unit.append("Environment=").append(variable).append('\n'); // constants of the engine
        }
        unit.append("ExecStart=").append(exec).append('\n');
        appendHardening(unit, spec);
        unit.append("Restart=always\n");
        // autossh exits 1 when systemd stops it (SIGTERM): a stop is not a failure.
        unit.append("SuccessExitStatus=1\n");
        unit.append("RestartSec=").append(RESTART_SECONDS).append('\n');
        unit.append("\n[Install]\n");
        unit.append("WantedBy=multi-user.target\n");
        return unit.toString();
    }

    /**
     * A tunnel needs to read its key and pinned host keys, resolve names and open TCP connections; the
     * sandbox takes away everything else. Homes are replaced by empty directories, with only the key
     * bound back in, read-only; the rest of the file system is read-only.
     */
    private static void appendHardening(StringBuilder unit, TunnelSpec spec) {
        unit.append("ProtectHome=tmpfs\n");
        unit.append("BindReadOnlyPaths=").append(SystemdQuoting.pathListEntry(spec.key().toString())).append('\n');
        HARDENING.forEach(line -> unit.append(line).append('\n'));
    }

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
            "MemoryDenyWriteExecute=yes",
            "SystemCallArchitectures=native",
            "SystemCallFilter=@system-service",
            "SystemCallFilter=~@privileged @resources",
            "KeyringMode=private",
            "RemoveIPC=yes",
            "UMask=0077");
}
