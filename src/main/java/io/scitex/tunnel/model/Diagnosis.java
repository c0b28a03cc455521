package io.scitex.tunnel.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code doctor} concludes about one tunnel: the findings, each with its fix. The rules are here,
 * free of I/O; what they look at is gathered elsewhere ({@link Facts}).
 */
public record Diagnosis(TunnelStatus status, List<Finding> findings) {
    /**
     * Bastion settings under which a dead session gives its port back within about 16 s (OpenSSH 9.2 checks a
     * silent client every other interval), as {@code bastion sshd-config} writes them.
     */
    static final String CLIENT_ALIVE = "ClientAliveInterval 2 and ClientAliveCountMax 3 (scitex-tunnel bastion sshd-config"
            + " --apply writes them)";

    public Diagnosis {
        findings = List.copyOf(findings);
    }

    /** Whether nothing keeps the tunnel from working (advice may remain). */
    public boolean healthy() {
        return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.PROBLEM);
    }

    /**
     * What was looked at besides the status.
     *
     * @param keyProblem          why the tunnel's key would be refused by ssh, if it would
     * @param keyChecked          whether the key could be checked at all (it may be unreadable to the caller)
     * @param bastionProblem      why the bastion cannot be reached, if it cannot
     * @param hardened            whether the unit has the sandbox setup writes
     * @param remoteBind          the bastion-side bind address the unit asks for, if any
     */
    public record Facts(Optional<String> keyProblem, boolean keyChecked, Optional<String> bastionProblem,
                        boolean hardened, Optional<String> remoteBind) {}

    public static Diagnosis of(TunnelStatus status, Facts facts) {
        List<Finding> findings = new ArrayList<>();
        int port = status.port();
        String logs = "see `scitex-tunnel logs -p " + port + "`";
        if ("active".equals(status.state())) {
            findings.add(Finding.ok("service", status.unit() + " is active, restarted " + status.restarts() + " times"));
        } else {
            Optional<StartFailure> cannotStart = status.health().lastError().flatMap(StartFailure::of);
            findings.add(cannotStart.map(failure -> Finding.problem("service", status.unit() + " cannot start: "
                            + failure.said(), failure.fix()))
                    .orElse(Finding.problem("service", status.unit() + " is " + status.state() + " (" + status.subState()
                            + ")", "sudo systemctl restart " + status.unit() + "; " + logs)));
        }
        if (!facts.keyChecked()) {
            findings.add(Finding.advice("key", "the tunnel's key could not be checked", "run doctor with sudo"));
        } else {
            findings.add(facts.keyProblem().map(p -> Finding.problem("key", p, "see the message"))
                    .orElse(Finding.ok("key", "private, mode 600, owned by the service user, no passphrase")));
        }
        findings.add(facts.bastionProblem().map(p -> Finding.problem("bastion", p,
                        "check the bastion's name, that its sshd runs, and firewalls on the way"))
                .orElse(Finding.ok("bastion", "reachable")));
        findings.add(tunnel(status, port, logs));
        status.engine().ifPresent(report -> findings.add(report.isUp()
                ? Finding.ok("engine", report.summary(status.health().checkedAt()))
                : Finding.problem("engine", report.summary(status.health().checkedAt()), "waiting-for-port".equals(report.phase())
                        ? "port " + port + " is held on the bastion by another client or a dead session: free it there,"
                                + " or set " + CLIENT_ALIVE + " in the bastion's sshd_config, or choose another port"
                        : logs)));
        if (status.health().lastError().map(e -> e.kind() == JournalEvent.Kind.FORWARD_REFUSED).orElse(false)) {
            findings.add(Finding.advice("bastion", "the bastion refused port " + port + " recently; a session of a"
                    + " tunnel that died keeps its port until the bastion notices", "on the bastion, set " + CLIENT_ALIVE
                    + " in sshd_config (then reload sshd) so dead sessions release their ports quickly"));
        }
        facts.remoteBind().filter(bind -> !isLoopback(bind)).ifPresent(bind -> findings.add(Finding.advice("bastion",
                "the unit asks the bastion to listen on " + bind + ", not only on its loopback",
                "the bastion needs GatewayPorts clientspecified in sshd_config for that; otherwise it listens on"
                        + " loopback only")));
        for (var dropIn : status.dropIns()) {
            findings.add(Finding.advice("unit", "the drop-in " + Printable.escape(dropIn.toString()) + " changes "
                    + status.unit() + " beyond what its unit file says (scitex-tunnel writes no drop-ins)",
                    "check that it is meant to be there: systemctl cat " + status.unit() + "; if not, delete it,"
                            + " then: sudo systemctl daemon-reload && sudo systemctl restart " + status.unit()));
        }
        if (!facts.hardened()) {
            findings.add(Finding.advice("unit", "the unit is not sandboxed (written by another tool or an older version)",
                    "run `scitex-tunnel setup` for port " + port + " again to replace it with a hardened unit"));
        }
        return new Diagnosis(status, findings);
    }

    private static Finding tunnel(TunnelStatus status, int port, String logs) {
        TunnelHealth health = status.health();
        Optional<ProbeOutcome.HostKeyMismatch> mismatch = health.probe().flatMap(ProbeOutcome::hostKey);
        boolean hostKeyChanged = mismatch.isPresent() || health.lastError()
                .map(e -> e.kind() == JournalEvent.Kind.HOST_KEY_CHANGED).orElse(false);
        if (hostKeyChanged) {
            return Finding.problem("tunnel", "bastion host key changed \u2014 possible man-in-the-middle"
                            + mismatch.map(m -> " (pinned " + m.expected() + ", presented " + m.presented() + ")").orElse(""),
                    "check the bastion's key out of band (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the bastion);"
                            + " only if it was really replaced: sudo scitex-tunnel remove -p " + port
                            + ", then set the tunnel up again");
        }
        ProbeOutcome.Result result = health.probe().map(ProbeOutcome::result).orElse(ProbeOutcome.Result.CANNOT_PROBE);
        if (result == ProbeOutcome.Result.OTHER_MACHINE) {
            return Finding.problem("tunnel", health.detail(), "another machine's tunnel holds port " + port + " on the"
                    + " bastion (a stale install, or another machine given the same port): on the bastion, sudo ss -ltnp"
                    + " 'sport = :" + port + "' names the sshd session that holds it; stop that tunnel, or choose another port");
        }
        if (health.health() == Health.UNKNOWN && result == ProbeOutcome.Result.NO_EVIDENCE) {
            return Finding.advice("tunnel", health.detail(), "a target that never speaks first cannot be checked"
                    + " through autossh; the native engine counts what it relays: setup -p " + port + " ... --engine native");
        }
        return switch (health.health()) {
            case UP -> Finding.ok("tunnel", "works end to end: " + health.detail());
            case DEGRADED -> Finding.problem("tunnel", health.detail(), "start the service the tunnel forwards to ("
                    + status.target().orElse("its target") + ") on this machine");
            case UNKNOWN -> Finding.advice("tunnel", health.detail(), "run doctor with sudo");
            case DOWN -> Finding.problem("tunnel", health.detail(), fixFor(health, port, logs));
        };
    }

    private static String fixFor(TunnelHealth health, int port, String logs) {
        JournalEvent.Kind kind = health.lastError().map(JournalEvent::kind).orElse(JournalEvent.Kind.OTHER);
        return switch (kind) {
            case FORWARD_REFUSED -> "port " + port + " is held on the bastion by another client or a dead session:"
                    + " free it there, or set " + CLIENT_ALIVE + " in the bastion's sshd_config, or choose another port";
            case AUTH_FAILED -> "admit the key on the bastion: scitex-tunnel authorize -p " + port
                    + " | ssh USER@BASTION 'cat >> ~/.ssh/authorized_keys'";
            case HOST_KEY_UNKNOWN, HOST_KEY_FAILED -> "the pinned bastion key is missing or wrong: set the tunnel up"
                    + " again (setup -p " + port + " ...)";
            case CONNECT_FAILED, LINK_DEAD, DISCONNECTED -> "check the network path to the bastion; " + logs;
            case START_FAILED, JVM_REFUSED -> health.lastError().flatMap(StartFailure::of).map(StartFailure::fix)
                    .orElse(logs);
            default -> logs;
        };
    }

    private static boolean isLoopback(String bind) {
        return bind.equals("localhost") || bind.startsWith("127.") || bind.equals("::1") || bind.equals("[::1]");
    }
}
