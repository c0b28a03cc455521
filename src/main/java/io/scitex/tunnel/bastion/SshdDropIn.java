package io.scitex.tunnel.bastion;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bastion's sshd drop-in for tunnels ({@code /etc/ssh/sshd_config.d/scitex-tunnel.conf}). For every
 * session: keepalives, so that the port of a client that vanished without a word is freed within
 * {@link #boundSeconds()}. For the accounts in {@code group}, tunnel-only: a {@code Match Group}
 * block closes what a tunnel key must not do (a shell or any command, a TTY, agent and X11 forwarding,
 * Unix-socket forwarding, tun devices, listening beyond loopback), which authorized_keys options alone cannot
 * all forbid. Accounts are chosen by group membership so that adding a tunnel account is one {@code usermod}.
 * Debian and Ubuntu include {@code sshd_config.d/*.conf} at the top of sshd_config, and sshd keeps the first
 * value it reads, so these settings win over the main file's.
 */
public record SshdDropIn(String group, int interval, int countMax) {
    /** Group names as groupadd takes them: a Match Group pattern must not widen ({@code *}, {@code !}, {@code ,}). */
    private static final Pattern GROUP = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    public static final Path PATH = Path.of("/etc/ssh/sshd_config.d/scitex-tunnel.conf");
    public static final String DEFAULT_GROUP = "scitex-tunnel";
    /** 2 s × 3: a dead client's port is free again within about 16 s (14.6 s measured on OpenSSH 9.2). */
    public static final SshdDropIn DEFAULT = new SshdDropIn(DEFAULT_GROUP, 2, 3);

    public SshdDropIn {
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new InvalidInputException("group " + Printable.quoted(String.valueOf(group))
                    + " is not a group name (letters, digits, '.', '_', '-')");
        }
        if (interval < 1 || interval > 3600) {
            throw new InvalidInputException("the keepalive interval must be 1..3600 s, not " + interval);
        }
        if (countMax < 1 || countMax > 100) {
            throw new InvalidInputException("the keepalive count must be 1..100, not " + countMax);
        }
    }

    /**
     * The most a dead client's session, and so its ports, outlives it: sshd drops it at the probe after
     * {@code countMax} unanswered ones. OpenSSH 9.2 probes only once more than {@code interval} seconds have
     * passed since the client was last heard, which its poll timeout of exactly {@code interval} reaches every
     * other time: probes come every {@code 2 × interval} (measured: 5 s × 3 freed the port after 37 s, 2 s × 3
     * after 14.6 s).
     */
    public int boundSeconds() {
        return 2 * interval * (countMax + 1);
    }

    public List<String> lines() {
        return List.of(
                "# Written by scitex-tunnel (bastion sshd-config). sshd keeps the first value it reads: this file",
                "# is included before the main sshd_config, so what it sets wins.",
                "",
                "# sshd probes a silent client every " + interval + " s (OpenSSH 9.2: every " + 2 * interval
                        + " s) and drops it after " + countMax + " unanswered probes:",
                "# the ports it held are free again within about " + boundSeconds() + " s.",
                "ClientAliveInterval " + interval,
                "ClientAliveCountMax " + countMax,
                "",
                "# Tunnel-only accounts: the members of group " + group + " (usermod -aG " + group + " ACCOUNT).",
                "# Each key's authorized_keys line names the one port it may hold (scitex-tunnel authorize).",
                "Match Group " + group,
                "    # the tunnel listens on the bastion (remote), its health check connects to it (local)",
                "    AllowTcpForwarding yes",
                "    # forwards listen on the bastion's loopback, never on its other addresses",
                "    GatewayPorts no",
                "    # no Unix-socket forwards: permitlisten and permitopen speak of TCP ports only",
                "    AllowStreamLocalForwarding no",
                "    PermitTunnel no",
                "    PermitTTY no",
                "    X11Forwarding no",
                "    AllowAgentForwarding no",
                "    PermitUserRC no",
                "    # no shell and no command: a tunnel asks for no session",
                "    ForceCommand /bin/false",
                "Match all");
    }

    public String render() {
        return String.join("\n", lines()) + "\n";
    }
}
