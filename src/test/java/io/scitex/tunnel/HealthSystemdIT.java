package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.StatusPoll;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code status} tells the truth about connectivity, in a real systemd with a real OpenSSH bastion (see
 * {@code src/test/scripts/e2e-world}): a working tunnel is up; a tunnel whose port the bastion gives to another machine (an sshd with other host keys) is down, naming it, although its service is active; a tunnel whose port the bastion gives to
 * another client is down although its service is active; a tunnel whose target stopped is degraded; a
 * blackholed bastion turns the tunnel down within the keepalive bound and up again when the link returns;
 * a changed bastion host key is reported as a possible man-in-the-middle with both fingerprints. Each test
 * uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthSystemdIT {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    /** One status run: the JVM start and the probe; on a busy 2-core machine the JVM alone can take 2 s. */
    private static final Duration STATUS_RUN = PROBE_TIMEOUT.plusSeconds(4);
    private static final String BLACKHOLE = "INPUT -p tcp --dport 22 -d 127.0.0.2 -j DROP";
    private SystemdContainer container;
    private StatusPoll statuses;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("iptables", "apt-get install iptables");
        Prerequisites.requireProgram("promtool", "apt-get install prometheus");
        container = SystemdContainer.bootE2eWorld("scitex-health");
        statuses = new StatusPoll(container, STATUS_RUN);
    }

    @AfterEach
    void removeLeftovers() throws IOException {
        root("iptables -D " + BLACKHOLE + " 2>/dev/null; systemctl stop holder-2242 other-sshd-2052 target-2043 2>/dev/null;"
                + " for unit in /etc/systemd/system/autossh-tunnel-*.service; do [ -e \"$unit\" ] || continue;"
                + " port=${unit##*-}; scitex-tunnel remove -p ${port%.service} >/dev/null; done");
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    void aWorkingTunnelIsUpInTableJsonAndMetrics() throws Exception {
        setup(2241, "");

        StatusPoll.Status up = statuses.awaitHealth(2241, "up", UP);
        assertThat(up.exit()).isZero();
        assertThat(up.tunnel().get("up").asBoolean()).isTrue();
        assertThat(up.tunnel().get("detail").asText()).startsWith("localhost:22 answered through the tunnel: SSH-2.0-OpenSSH");
        assertThat(up.tunnel().get("checked_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(up.tunnel().get("probe_seconds").asDouble()).isPositive().isLessThan(PROBE_TIMEOUT.toSeconds());
        System.out.println("probe through a working tunnel: " + up.tunnel().get("probe_seconds") + " s");
        System.out.println("status --json, healthy:\n" + root("scitex-tunnel status --json -p 2241").stdout());

        CommandResult table = root("scitex-tunnel status");
        System.out.println("status, healthy:\n" + table.stdout());
        assertThat(table.exitCode()).isZero();
        assertThat(table.stdout()).containsPattern(
                "2241 +user@bastion\\.example\\.com +localhost:22 +active \\(running\\) .* up +localhost:22 answered");
        CommandResult doctor = root("scitex-tunnel doctor -p 2241");
        System.out.println("doctor, healthy:\n" + doctor.stdout());
        assertThat(doctor.exitCode()).as(doctor.stderr()).isZero();
        assertThat(doctor.stdout()).containsPattern("ok +tunnel +works end to end: localhost:22 answered")
                .containsPattern("ok +key +private, mode 600").containsPattern("ok +bastion +reachable")
                .doesNotContain("PROBLEM", "advice");

        CommandResult metrics = root("scitex-tunnel status --format prometheus > /tmp/metrics.prom; echo $?;"
                + " promtool check metrics < /tmp/metrics.prom && cat /tmp/metrics.prom");
        assertThat(metrics.exitCode()).as("promtool: %s%s", metrics.stdout(), metrics.stderr()).isZero();
        assertThat(metrics.stdout()).startsWith("0\n").contains(
                "scitex_tunnel_up{port=\"2241\",bastion=\"user@bastion.example.com\"} 1",
                "scitex_tunnel_health{port=\"2241\",bastion=\"user@bastion.example.com\",health=\"up\"} 1",
                "scitex_tunnel_restarts_total{port=\"2241\",bastion=\"user@bastion.example.com\"} 0")
                .containsPattern("scitex_tunnel_service_start_time_seconds\\{port=\"2241\",[^}]*\\} 1\\d{9}\n")
                .containsPattern("scitex_tunnel_probe_duration_seconds\\{port=\"2241\",[^}]*\\} 0\\.\\d{3}\n");

        assertThat(root("scitex-tunnel status -p 2299").exitCode()).as("-p names no tunnel").isEqualTo(4);
        assertThat(root("scitex-tunnel status --no-probe -p 2299").exitCode()).isEqualTo(4);
    }

    @Test
    void aPortTheBastionGaveToAnotherMachineIsDownNamingThatMachineThoughTheServiceIsActive() throws Exception {
        setup(2240, ""); // a healthy neighbour, listed with it
        setup(2242, "");
        StatusPoll.Status own = statuses.awaitHealth(2242, "up", UP);
        assertThat(own.tunnel().get("detail").asText()).as("the sshd behind the port is this machine's")
                .contains("this machine's");
        // Another machine: an sshd with host keys of its own. While the tunnel is stopped, another client takes
        // port 2242 on the bastion, forwarding to that sshd: whatever answers on the bastion's port then is not
        // this machine, and the host key it presents says so. (setup itself refuses a port that is taken.)
        assertThat(root("rm -f /etc/other-hostkey*; ssh-keygen -q -t ed25519 -N '' -f /etc/other-hostkey"
                + " && systemd-run --quiet --unit=other-sshd-2052 /usr/sbin/sshd -D -p 2052 -o ListenAddress=127.0.0.1"
                + " -o PidFile=none -h /etc/other-hostkey").exitCode()).isZero();
        String other = fingerprint("/etc/other-hostkey.pub");
        root("systemctl stop autossh-tunnel-2242.service");
        await("tunnel's forward gone").atMost(UP).until(() -> root("ss -ltnH 'sport = :2242'").stdout().isBlank());
        assertThat(root("systemd-run --quiet --unit=holder-2242 ssh -N -o BatchMode=yes -o ExitOnForwardFailure=yes"
                + " -i /root/.ssh/id_rsa -R 2242:127.0.0.1:2052 user@bastion.example.com").exitCode()).isZero();
        await("holder listening").atMost(UP).until(() -> !root("ss -ltnH 'sport = :2242'").stdout().isBlank());
        root("systemctl start autossh-tunnel-2242.service");

        statuses.awaitHealth(2240, "up", UP);
        StatusPoll.Status down = statuses.awaitHealth(2242, "down", UP);
        System.out.println("status, healthy and port held by another machine:\n" + root("scitex-tunnel status").stdout());
        assertThat(down.exit()).isEqualTo(3);
        assertThat(down.tunnel().get("state").asText()).isEqualTo("active");
        assertThat(down.stderr()).isEmpty();
        assertThat(down.tunnel().get("detail").asText()).startsWith("port 2242 on the bastion reaches another machine"
                + " (ssh-ed25519 " + other + "), not this one");
        await("ssh's refusal in the journal").atMost(UP).untilAsserted(() -> assertThat(statuses.status(2242).tunnel()
                .get("last_error").asText()).isEqualTo("Error: remote port forwarding failed for listen port 2242"));
        assertThat(root("scitex-tunnel status").exitCode()).as("one tunnel down").isEqualTo(3);
        assertThat(root("scitex-tunnel status --no-probe -p 2242").exitCode())
                .as("without probes, an active service counts as up").isZero();
        CommandResult doctor = root("scitex-tunnel doctor -p 2242");
        System.out.println("doctor, port held by another machine:\n" + doctor.stdout());
        assertThat(doctor.exitCode()).isEqualTo(3);
        assertThat(doctor.stdout()).containsPattern("PROBLEM +tunnel +port 2242 on the bastion reaches another machine")
                .contains("fix: another machine's tunnel holds port 2242 on the bastion")
                .containsPattern("advice +bastion +the bastion refused port 2242 recently")
                .contains("ClientAliveInterval 2 and ClientAliveCountMax 3");

        CommandResult logs = root("scitex-tunnel logs -p 2242 -n 30");
        assertThat(logs.exitCode()).as(logs.stderr()).isZero();
        System.out.println("logs, forward refused:\n" + logs.stdout());
        assertThat(logs.stdout()).containsPattern("refused +Error: remote port forwarding failed for listen port 2242")
                .containsPattern("connect +ssh child pid is \\d+");
        // -f streams until interrupted, and takes journalctl with it.
        // autossh retries a refused forward at least every 10 s: new lines come while it follows.
        CommandResult follow = root("timeout -s INT 12 scitex-tunnel logs -p 2242 -f -n 0; echo exit=$?;"
                + " sleep 0.5; pgrep -x journalctl || echo no-journalctl");
        assertThat(follow.stdout()).contains("exit=", "no-journalctl")
                .containsPattern("refused +Error: remote port forwarding failed for listen port 2242");
        assertThat(follow.stderr()).doesNotContain("Exception");

        root("systemctl stop holder-2242");
        statuses.awaitHealth(2242, "up", Duration.ofSeconds(40));
    }

    @Test
    void aTunnelWhoseTargetStoppedIsDegraded() throws Exception {
        assertThat(root("systemd-run --quiet --unit=target-2043 /usr/sbin/sshd -D -p 2043 -o ListenAddress=127.0.0.1"
                + " -o PidFile=none").exitCode()).isZero();
        setup(2243, " --target 127.0.0.1:2043");
        StatusPoll.Status up = statuses.awaitHealth(2243, "up", UP);
        assertThat(up.tunnel().get("detail").asText()).startsWith("127.0.0.1:2043 answered through the tunnel: SSH-2.0-");

        root("systemctl stop target-2043");

        StatusPoll.Status degraded = statuses.awaitHealth(2243, "degraded", STATUS_RUN.multipliedBy(3));
        assertThat(degraded.exit()).isEqualTo(3);
        assertThat(degraded.tunnel().get("detail").asText()).contains("the forward is listening on the bastion",
                "127.0.0.1:2043 refuses connections");
        // ssh logs the target's refusal of the probe's own connection; journald may take a moment to have it
        await().atMost(STATUS_RUN.multipliedBy(2)).untilAsserted(() -> assertThat(statuses.status(2243).tunnel()
                .get("last_error").asText()).isEqualTo("connect_to 127.0.0.1 port 2043: failed."));
        System.out.println("status, target stopped:\n" + root("scitex-tunnel status -p 2243").stdout());
    }

    @Test
    void aBlackholedBastionTurnsTheTunnelDownWithinTheKeepaliveBoundAndUpWhenTheLinkReturns() throws Exception {
        setup(2244, "");
        statuses.awaitHealth(2244, "up", UP);

        long start = System.nanoTime();
        assertThat(root("iptables -A " + BLACKHOLE).exitCode()).isZero();
        Duration bound = Keepalive.DEFAULT.bound().plus(PROBE_TIMEOUT).plus(STATUS_RUN);
        StatusPoll.Status down = statuses.awaitHealth(2244, "down", bound);
        System.out.printf("blackholed bastion: down after %.1f s (bound %d s): %s%n",
                (System.nanoTime() - start) / 1e9, bound.toSeconds(), down.tunnel().get("detail").asText());
        assertThat(down.tunnel().get("detail").asText()).contains("bastion");

        long restored = System.nanoTime();
        assertThat(root("iptables -D " + BLACKHOLE).exitCode()).isZero();
        statuses.awaitHealth(2244, "up", Duration.ofSeconds(90));
        System.out.printf("link restored: up again after %.1f s%n", (System.nanoTime() - restored) / 1e9);
    }

    @Test
    void aChangedBastionHostKeyIsReportedAsAPossibleManInTheMiddleWithBothFingerprints() throws Exception {
        setup(2245, "");
        statuses.awaitHealth(2245, "up", UP);
        String pinned = fingerprint("/srv/bastion/hostkey.pub");
        try {
            assertThat(root("cp -a /srv/bastion/hostkey /srv/bastion/hostkey.orig && cp -a /srv/bastion/hostkey.pub"
                    + " /srv/bastion/hostkey.pub.orig && rm /srv/bastion/hostkey /srv/bastion/hostkey.pub"
                    + " && ssh-keygen -q -t ed25519 -N '' -f /srv/bastion/hostkey && systemctl restart bastion-sshd")
                    .exitCode()).isZero();
            String presented = fingerprint("/srv/bastion/hostkey.pub");

            StatusPoll.Status down = statuses.awaitHealth(2245, "down", STATUS_RUN.multipliedBy(3));
            String detail = down.tunnel().get("detail").asText();
            assertThat(down.stderr()).as("an expected failure: no log noise, no stack trace").isEmpty();
            assertThat(detail).startsWith("bastion host key changed — possible man-in-the-middle")
                    .contains("expected ssh-ed25519 " + pinned, "presented ssh-ed25519 " + presented);
            // The journal says so only once ssh tries the bastion again: after its session is dropped, within
            // the keepalive bound when the drop itself goes unnoticed.
            Duration retried = Keepalive.DEFAULT.bound().plus(STATUS_RUN.multipliedBy(3));
            await().atMost(retried).untilAsserted(() -> assertThat(statuses.status(2245).tunnel()
                    .get("last_error").asText()).startsWith("Host key for bastion.example.com has changed"));
            assertThat(root("ssh-keygen -lf /etc/scitex-tunnel/2245/known_hosts").stdout()).as("never re-pinned")
                    .contains(pinned).doesNotContain(presented);
            CommandResult doctor = root("scitex-tunnel doctor -p 2245");
            System.out.println("doctor, host key changed:\n" + doctor.stdout());
            assertThat(doctor.exitCode()).isEqualTo(3);
            assertThat(doctor.stdout()).containsPattern("PROBLEM +tunnel +bastion host key changed \u2014 possible"
                    + " man-in-the-middle").contains(presented, "fix: check the bastion's key out of band");
            System.out.println("status, host key changed:\n" + root("scitex-tunnel status -p 2245").stdout());
        } finally {
            root("mv /srv/bastion/hostkey.orig /srv/bastion/hostkey && mv /srv/bastion/hostkey.pub.orig"
                    + " /srv/bastion/hostkey.pub && systemctl restart bastion-sshd");
        }
        statuses.awaitHealth(2245, "up", Duration.ofSeconds(60));
    }

    @Test
    void aTunnelWrittenByThePythonToolIsProbedWithTheUsersOwnKnownHosts() throws Exception {
        String unit = """
                [Service]
                ExecStart=/usr/bin/autossh -M 0 -o "ServerAliveInterval 30" -NR 2246:localhost:22 user@bastion.example.com -i /root/.ssh/id_rsa
                Restart=always
                """;
        java.nio.file.Files.writeString(container.etc().resolve("systemd/system/autossh-tunnel-2246.service"), unit);
        assertThat(root("systemctl daemon-reload && systemctl start autossh-tunnel-2246.service").exitCode()).isZero();

        StatusPoll.Status up = statuses.awaitHealth(2246, "up", UP);
        assertThat(up.tunnel().get("detail").asText()).contains("answered through the tunnel: SSH-2.0-");
        CommandResult doctor = root("scitex-tunnel doctor -p 2246");
        assertThat(doctor.exitCode()).as("advice only: %s", doctor.stdout()).isZero();
        assertThat(doctor.stdout()).containsPattern("advice +unit +the unit is not sandboxed")
                .contains("fix: run `scitex-tunnel setup` for port 2246 again");
    }

    private void setup(int port, String options) throws IOException {
        CommandResult setup = root("scitex-tunnel setup -p " + port + " -b user@bastion.example.com -s ~/.ssh/id_rsa" + options);
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
    }

    private String fingerprint(String publicKey) throws IOException {
        return root("ssh-keygen -lf " + publicKey + " | cut -d' ' -f2").stdout().strip();
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }
}
