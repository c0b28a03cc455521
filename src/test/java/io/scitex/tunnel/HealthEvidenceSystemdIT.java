package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.StatusPoll;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Health with positive evidence for every kind of target, in a real systemd with a real OpenSSH bastion (see
 * {@code src/test/scripts/e2e-world}): an HTTP server is up by its answer to a HEAD and degraded once it stops;
 * a silent TCP service is never up through autossh (nothing proves the connection reached it) but is through
 * the native engine, whose own count of relayed connections is the evidence; a native tunnel's engine state
 * (phase, reconnects after a killed session, bytes, last error) is in status, JSON, doctor and metrics; a unit
 * whose program is missing says systemd's reason and the fix, in status and doctor, and in a setup whose autossh
 * cannot be executed, which fails at once (rolled back with --rollback) while an older failure of the same unit
 * does not fail a later setup. Each test uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthEvidenceSystemdIT {
    private static final Duration UP = Duration.ofSeconds(40);
    /** One status run: the JVM start and the probe; on a busy 2-core machine the JVM alone can take 2 s. */
    private static final Duration STATUS_RUN = Duration.ofSeconds(8);
    private static final String SILENT_SERVER = "import socket\n"
            + "s = socket.socket()\n"
            + "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
            + "s.bind(('127.0.0.1', 8082))\n"
            + "s.listen(64)\n"
            + "held = []\n"
            + "while True:\n"
            + "    held.append(s.accept()[0])\n";
    private SystemdContainer container;
    private StatusPoll statuses;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("python3", "apt-get install python3");
        Prerequisites.requireProgram("promtool", "apt-get install prometheus");
        container = SystemdContainer.bootE2eWorld("scitex-health-evidence");
        statuses = new StatusPoll(container, STATUS_RUN);
    }

    @AfterEach
    void removeLeftovers() throws IOException {
        root("systemctl stop http-8081 silent-8082 2>/dev/null; " + SystemdContainer.REMOVE_ALL_TUNNELS);
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    void anHttpTargetIsUpByItsAnswerToAHeadAndDegradedOnceItStops() throws Exception {
        assertThat(root("systemd-run --quiet --unit=http-8081 /usr/bin/python3 -m http.server 8081 --bind 127.0.0.1")
                .exitCode()).isZero();
        await("HTTP server listening").atMost(UP).until(() -> !root("ss -ltnH 'sport = :8081'").stdout().isBlank());

        CommandResult setup = root("scitex-tunnel setup -p 2251 -b user@bastion.example.com -s ~/.ssh/id_rsa"
                + " --target 127.0.0.1:8081");
        System.out.println("setup, HTTP target:\n" + setup.stdout());
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        assertThat(setup.stdout()).containsPattern("target .*127\\.0\\.0\\.1:8081 waits for the client and HTTP HEAD"
                + " answered: HTTP/1\\.0 200 OK");
        assertThat(root("cat /etc/systemd/system/autossh-tunnel-2251.service").stdout())
                .contains("X-ScitexTunnelProbe=http\n");

        StatusPoll.Status up = statuses.awaitHealth(2251, "up", UP);
        assertThat(up.tunnel().get("detail").asText())
                .startsWith("127.0.0.1:8081 answered through the tunnel: HTTP HEAD answered: HTTP/1.0 200 OK");
        assertThat(up.tunnel().get("engine_state").isNull()).as("autossh keeps no state file").isTrue();
        System.out.println("status, HTTP target up:\n" + root("scitex-tunnel status -p 2251").stdout());

        root("systemctl stop http-8081");
        StatusPoll.Status degraded = statuses.awaitHealth(2251, "degraded", STATUS_RUN.multipliedBy(3));
        assertThat(degraded.tunnel().get("detail").asText()).contains("the forward is listening on the bastion",
                "127.0.0.1:8081 refuses connections");
        System.out.println("status, HTTP target stopped:\n" + root("scitex-tunnel status -p 2251").stdout());
    }

    @Test
    void aSilentTargetIsNeverUpThroughAutosshButIsThroughTheNativeEnginesOwnCount() throws Exception {
        Files.writeString(container.etc().resolve("silent-server.py"), SILENT_SERVER);
        assertThat(root("systemd-run --quiet --unit=silent-8082 /usr/bin/python3 /etc/silent-server.py").exitCode())
                .isZero();
        await("silent server listening").atMost(UP).until(() -> !root("ss -ltnH 'sport = :8082'").stdout().isBlank());

        CommandResult autossh = root("scitex-tunnel setup -p 2253 -b user@bastion.example.com -s ~/.ssh/id_rsa"
                + " --target 127.0.0.1:8082 --no-check");
        assertThat(autossh.exitCode()).as(autossh.stderr()).isZero();
        assertThat(autossh.stdout()).contains("a silent target");
        await("forward listening").atMost(UP).until(() -> root("scitex-tunnel status --json -p 2253").stdout()
                .contains("silent target"));
        for (int i = 0; i < 3; i++) {
            StatusPoll.Status silent = statuses.status(2253);
            assertThat(silent.tunnel().get("health").asText()).as("%s", silent.tunnel()).isEqualTo("unknown");
            assertThat(silent.exit()).isEqualTo(3);
            assertThat(silent.tunnel().get("detail").asText()).contains("is a silent target (probe kind silent)");
        }
        System.out.println("status, silent target through autossh:\n" + root("scitex-tunnel status -p 2253").stdout());

        CommandResult setup = root("scitex-tunnel setup -p 2254 -b user@bastion.example.com -s ~/.ssh/id_rsa"
                + " --target 127.0.0.1:8082 --engine native");
        assertThat(setup.exitCode()).as("setup's wait takes the engine's count as evidence: %s%s", setup.stdout(),
                setup.stderr()).isZero();
        StatusPoll.Status up = statuses.awaitHealth(2254, "up", UP);
        assertThat(up.tunnel().get("detail").asText()).startsWith("the native engine connected the tunnelled"
                + " connection to 127.0.0.1:8082");
        assertThat(up.tunnel().get("engine_state").get("connections_total").asLong()).isPositive();
        System.out.println("status, silent target through the native engine:\n"
                + root("scitex-tunnel status -p 2254").stdout());
    }

    @Test
    void aNativeTunnelsEngineStateIsInStatusJsonDoctorAndMetrics() throws Exception {
        CommandResult setup = root("scitex-tunnel setup -p 2256 -b user@bastion.example.com -s ~/.ssh/id_rsa"
                + " --engine native");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        StatusPoll.Status up = statuses.awaitHealth(2256, "up", UP);
        assertThat(up.tunnel().get("detail").asText()).contains("answered through the tunnel: SSH-2.0-OpenSSH",
                "this machine's");
        JsonNode engine = up.tunnel().get("engine_state");
        assertThat(engine.get("phase").asText()).isEqualTo("up");
        assertThat(engine.get("reconnects").asLong()).isZero();
        assertThat(engine.get("bytes_to_target").asLong()).as("the probes' bytes").isPositive();
        assertThat(engine.get("bytes_from_target").asLong()).isPositive();

        // Kill the bastion's end of the session: the engine reconnects, and says so.
        String holder = root("ss -ltnpH 'sport = :2256' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2").stdout().strip();
        assertThat(holder).as("the bastion's session process").matches("\\d+");
        root("kill " + holder);
        AtomicReference<StatusPoll.Status> after = new AtomicReference<>();
        await("reconnected").atMost(UP).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StatusPoll.Status status = statuses.status(2256);
            after.set(status);
            assertThat(status.tunnel().get("engine_state").get("reconnects").asLong()).as("%s", status.tunnel())
                    .isPositive();
            assertThat(status.tunnel().get("health").asText()).isEqualTo("up");
        });
        await("the engine's journal line read").atMost(STATUS_RUN.multipliedBy(2)).untilAsserted(() -> assertThat(
                statuses.status(2256).tunnel().get("last_error").asText()).contains("tunnel 2256: ", "reconnecting with backoff"));
        assertThat(after.get().tunnel().get("engine_state").get("last_error").asText()).isNotBlank();
        System.out.println("status --json, native tunnel after a killed session:\n"
                + root("scitex-tunnel status --json -p 2256").stdout());
        System.out.println("status, native tunnel:\n" + root("scitex-tunnel status -p 2256").stdout());

        CommandResult doctor = root("scitex-tunnel doctor -p 2256");
        System.out.println("doctor, native tunnel:\n" + doctor.stdout());
        assertThat(doctor.exitCode()).as(doctor.stdout()).isZero();
        assertThat(doctor.stdout()).containsPattern("ok +engine +up for \\d+ s, 1 reconnect");

        CommandResult metrics = root("scitex-tunnel status --format prometheus -p 2256 > /tmp/metrics.prom;"
                + " promtool check metrics < /tmp/metrics.prom && cat /tmp/metrics.prom");
        assertThat(metrics.exitCode()).as("promtool: %s%s", metrics.stdout(), metrics.stderr()).isZero();
        assertThat(metrics.stdout()).contains(
                "scitex_tunnel_engine_phase{port=\"2256\",bastion=\"user@bastion.example.com\",phase=\"up\"} 1",
                "scitex_tunnel_engine_phase{port=\"2256\",bastion=\"user@bastion.example.com\",phase=\"backing-off\"} 0",
                "scitex_tunnel_engine_reconnects_total{port=\"2256\",bastion=\"user@bastion.example.com\"} 1")
                .containsPattern("scitex_tunnel_engine_bytes_total\\{port=\"2256\",[^}]*direction=\"to_target\"\\} [1-9]");
    }

    @Test
    void aUnitWhoseProgramIsMissingSaysSystemdsReasonAndTheFix() throws Exception {
        String unit = """
                [Service]
                ExecStart=/opt/gone/bin/autossh -M 0 -NR 2257:localhost:22 user@bastion.example.com -i /root/.ssh/id_rsa
                Restart=always
                RestartSec=1
                """;
        Files.writeString(container.etc().resolve("systemd/system/autossh-tunnel-2257.service"), unit);
        root("systemctl daemon-reload && systemctl start autossh-tunnel-2257.service");

        AtomicReference<StatusPoll.Status> down = new AtomicReference<>();
        // systemd restarts it every second: caught active (between a restart and the failed exec) or waiting to
        // be restarted, status says why it cannot start, every time.
        await("the cause read").atMost(UP).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            StatusPoll.Status status = statuses.status(2257);
            down.set(status);
            assertThat(status.tunnel().get("detail").asText()).as("%s", status.tunnel())
                    .containsAnyOf("it cannot start: ", "the service keeps failing to start");
        });
        for (int i = 0; i < 3; i++) {
            StatusPoll.Status again = statuses.status(2257);
            assertThat(again.tunnel().get("detail").asText()).as("%s", again.tunnel())
                    .contains("/opt/gone/bin/autossh: No such file or directory; fix: ");
        }
        assertThat(down.get().exit()).isEqualTo(3);
        assertThat(down.get().tunnel().get("health").asText()).isEqualTo("down");
        assertThat(down.get().tunnel().get("detail").asText()).contains("/opt/gone/bin/autossh", "No such file or directory",
                "fix: /opt/gone/bin/autossh does not exist, or the service's sandbox hides it");
        System.out.println("status, program missing:\n" + root("scitex-tunnel status -p 2257").stdout());
        CommandResult doctor = root("scitex-tunnel doctor -p 2257");
        System.out.println("doctor, program missing:\n" + doctor.stdout());
        assertThat(doctor.stdout()).containsPattern("PROBLEM +service +autossh-tunnel-2257.service cannot start: .*"
                + "/opt/gone/bin/autossh: No such file or directory");
    }

    /**
     * An autossh that setup finds first on PATH (root's, mode 755, in root's directories the sandbox shows) but that
     * cannot be executed: its {@code #!} interpreter does not exist, so systemd's exec fails (status=203/EXEC).
     */
    @Test
    void aSetupWhoseAutosshCannotBeExecutedFailsAtOnceWithSystemdsReasonAndTheFix() throws Exception {
        CommandResult fake = root("install -d -m 755 /opt/fake/bin && printf '#!/opt/fake/no-such-interpreter\\n'"
                + " > /opt/fake/bin/autossh && chmod 755 /opt/fake/bin/autossh && stat -c '%U %a' /opt/fake/bin/autossh");
        assertThat(fake.stdout().strip()).as(fake.stderr()).isEqualTo("root 755");
        String setup = "PATH=/opt/fake/bin:$PATH scitex-tunnel setup -b user@bastion.example.com -s ~/.ssh/id_rsa"
                + " --wait 60 -p ";
        try {
            long started = System.nanoTime();
            CommandResult kept = root(setup + "2258");
            System.out.printf("setup, autossh not executable (%d ms):%n%s%s%n", (System.nanoTime() - started) / 1_000_000,
                    kept.stdout(), kept.stderr());
            assertThat(kept.exitCode()).as(kept.stdout() + kept.stderr()).isEqualTo(1);
            assertThat(kept.stderr().strip()).doesNotContain("\n")
                    .startsWith("scitex-tunnel: the tunnel's service cannot start: ")
                    .contains("Failed at step EXEC spawning /opt/fake/bin/autossh: No such file or directory",
                            "; fix: /opt/fake/bin/autossh does not exist", "or it is a script whose #! interpreter does not exist")
                    .doesNotContain("did not come up within")
                    .endsWith("the unit stays for `scitex-tunnel status` and `scitex-tunnel logs -p 2258`"
                            + " (--rollback removes it instead)");
            assertThat(root("grep '^ExecStart=' /etc/systemd/system/autossh-tunnel-2258.service").stdout())
                    .startsWith("ExecStart=/opt/fake/bin/autossh ");

            CommandResult rolledBack = root(setup + "2259 --rollback");
            assertThat(rolledBack.exitCode()).as(rolledBack.stdout() + rolledBack.stderr()).isEqualTo(1);
            assertThat(rolledBack.stderr().strip()).doesNotContain("\n")
                    .contains("cannot start: ", "/opt/fake/bin/autossh: No such file or directory; fix: ")
                    .endsWith("; removed it again (--rollback)");
            assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2259.service")).doesNotExist();
            assertThat(container.etc().resolve("scitex-tunnel/2259")).doesNotExist();
            assertThat(root("systemctl show -p LoadState --value autossh-tunnel-2259.service").stdout().strip())
                    .isEqualTo("not-found");

            // The same port again with the real autossh: the failure its journal holds is older than this start.
            CommandResult fixed = root("scitex-tunnel setup -p 2258 -b user@bastion.example.com -s ~/.ssh/id_rsa --wait 60");
            assertThat(fixed.exitCode()).as(fixed.stdout() + fixed.stderr()).isZero();
            assertThat(root("journalctl -u autossh-tunnel-2258.service -o cat | grep -c 'Failed at step EXEC'").stdout()
                    .strip()).as("the old failure is in the journal").isNotEqualTo("0");
            container.awaitSshThroughTunnel(2258, UP);
        } finally {
            root("rm -rf /opt/fake");
        }
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }
}
