package io.scitex.tunnel.bench;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end world inside the benchmark's systemd container ({@code src/test/scripts/e2e-world}): a real
 * OpenSSH bastion at 127.0.0.2:22 run by the transient unit {@code bastion-sshd}, root's key that it accepts,
 * and {@code scitex-tunnel} on /opt/bin. The benchmark runs in there as root and sets tunnels up as a user would.
 */
final class BenchWorld {
    static final String LAUNCHER = "/opt/bin/scitex-tunnel";
    static final String BASTION = "user@bastion.example.com";
    static final String BASTION_HOST = "127.0.0.2";
    static final int BASTION_PORT = 22;
    private static final String KEY = "/root/.ssh/id_rsa";
    private static final String BASTION_SSHD = "/usr/sbin/sshd -D -f /srv/bastion/sshd_config";
    private static final String BLACKHOLE = "INPUT -p tcp -d " + BASTION_HOST + " --dport " + BASTION_PORT + " -j DROP";
    private final CommandRunner runner = new CommandRunner(Duration.ofMinutes(5));

    enum Engine {
        AUTOSSH(Subject.OPENSSH), NATIVE(Subject.NATIVE);

        final Subject subject;

        Engine(Subject subject) {
            this.subject = subject;
        }
    }

    /** {@code scitex-tunnel setup} for {@code port} to the target, which returns once the tunnel works. */
    void setUp(Engine engine, int port, int targetPort) throws IOException {
        List<String> argv = new ArrayList<>(List.of(LAUNCHER, "setup", "-p", Integer.toString(port), "-b", BASTION,
                "-s", KEY, "--target", "127.0.0.1:" + targetPort));
        if (engine == Engine.NATIVE) {
            argv.addAll(List.of("--engine", "native"));
        }
        check(runner.run(argv));
    }

    void stop(int port) throws IOException {
        sh("systemctl stop " + unit(port));
    }

    void start(int port) throws IOException {
        sh("systemctl start " + unit(port));
    }

    long mainPid(int port) throws IOException {
        return Long.parseLong(sh("systemctl show -p MainPID --value " + unit(port)).trim());
    }

    long bastionPid() throws IOException {
        return Long.parseLong(sh("systemctl show -p MainPID --value bastion-sshd").trim());
    }

    void stopBastion() throws IOException {
        sh("systemctl stop bastion-sshd; systemctl reset-failed bastion-sshd 2>/dev/null || true");
    }

    void startBastion() throws IOException {
        sh("systemd-run --quiet --unit=bastion-sshd " + BASTION_SSHD);
    }

    /** Drops every packet to the bastion's sshd: the link goes silent, no FIN, no RST. */
    void silenceBastion() throws IOException {
        sh("iptables -A " + BLACKHOLE);
    }

    void restoreBastion() throws IOException {
        sh("iptables -D " + BLACKHOLE);
    }

    /**
     * A script that does with OpenSSH what a probe of tunnels {@code port} to {@code port + count - 1} does: for
     * each, logs in to the bastion with the tunnel's key and pinned host key, opens the tunnel's port there
     * ({@code ssh -W}) and checks the target's greeting; {@code atOnce} at a time. Shared: one master connection
     * ({@code ControlMaster}) carries every check, as status's shared login does; else one login each.
     */
    List<String> openSshProbes(int port, int count, int atOnce, boolean shared) {
        String ssh = "ssh -F none -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/etc/scitex-tunnel/"
                + port + "/known_hosts -o IdentitiesOnly=yes -i " + KEY;
        String socket = "/run/bench-probe-master";
        String check = ssh + (shared ? " -S " + socket : "") + " -W localhost:$0 " + BASTION
                + " </dev/null | head -c " + BenchTarget.BANNER.length + " | grep -q SCITEX-BENCH";
        String probes = "seq " + port + " " + (port + count - 1) + " | xargs -P " + atOnce + " -n 1 sh -c '" + check + "'";
        String script = shared
                ? ssh + " -fNM -S " + socket + " " + BASTION + " && " + probes + "; status=$?; " + ssh + " -S " + socket
                        + " -O exit " + BASTION + " 2>/dev/null; exit $status"
                : probes;
        return List.of("bash", "-c", script);
    }

    /**
     * Copies tunnel {@code port}'s unit and pin to the ports after it, until there are {@code count} tunnels,
     * all started: the same command line, each with its own port.
     */
    void cloneTunnels(int port, int count) throws IOException {
        sh("for p in $(seq " + (port + 1) + " " + (port + count - 1) + "); do"
                + " sed \"s/" + port + "/$p/g\" /etc/systemd/system/" + unit(port) + " > /etc/systemd/system/autossh-tunnel-$p.service;"
                + " mkdir -p /etc/scitex-tunnel/$p && cp /etc/scitex-tunnel/" + port + "/known_hosts /etc/scitex-tunnel/$p/;"
                + " done; systemctl daemon-reload; systemctl start $(cd /etc/systemd/system && ls autossh-tunnel-*.service)");
    }

    String sh(String script) throws IOException {
        return check(runner.run(List.of("bash", "-c", script))).stdout();
    }

    private static CommandResult check(CommandResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", result.argv()) + " failed (" + result.exitCode() + "): "
                    + result.stderr() + result.stdout());
        }
        return result;
    }

    static String unit(int port) {
        return "autossh-tunnel-" + port + ".service";
    }
}
