package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's commands, typed as a user types them, against a real OpenSSH bastion inside a real systemd:
 * see {@code src/test/scripts/e2e-world} for the machine they run on. Each test uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemdEndToEndIT {
    private static final Duration TUNNEL_UP = Duration.ofSeconds(20);
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("sudo", "apt-get install sudo");
        container = SystemdContainer.bootE2eWorld("scitex-e2e");
    }

    /** A failed test must not leave its tunnel behind for the next one's `status`. */
    @AfterEach
    void removeLeftoverTunnels() throws IOException {
        root(SystemdContainer.REMOVE_ALL_TUNNELS);
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    void seedCommandsSetUpCarryAnSshSessionShowStatusAndRemoveEverything() throws Exception {
        assertThat(root("head -c 3 ~/.ssh/known_hosts").stdout())
                .as("root learned the bastion key as Debian stores it: hashed").isEqualTo("|1|");

        CommandResult setup = root("scitex-tunnel setup -p 2222 -b user@bastion.example.com -s ~/.ssh/id_rsa");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        assertThat(setup.stdout()).contains("(from /root/.ssh/known_hosts)", "autossh-tunnel-2222.service is active",
                        "localhost:2222 on the bastion reaches localhost:22")
                .containsPattern("(\u2713|ok) +login +user@bastion\\.example\\.com accepts the key")
                .containsPattern("(\u2713|ok) +port +port 2222 is free on the bastion's loopback");
        assertThat(root("systemctl is-active autossh-tunnel-2222.service").stdout().strip()).isEqualTo("active");
        assertThat(root("systemctl is-enabled autossh-tunnel-2222.service").stdout().strip()).isEqualTo("enabled");

        container.awaitSshThroughTunnel(2222, TUNNEL_UP);
        assertThat(exposure("autossh-tunnel-2222.service")).as("systemd-analyze security").isLessThanOrEqualTo(2.0);

        CommandResult table = root("scitex-tunnel status");
        assertThat(table.exitCode()).isZero();
        assertThat(table.stdout()).containsPattern("2222 +user@bastion\\.example\\.com +localhost:22 +active \\(running\\)");
        assertThat(root("scitex-tunnel status -p 2222").exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(root("scitex-tunnel status --json -p 2222").stdout());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("port").asInt()).isEqualTo(2222);
        assertThat(json.get(0).get("unit").asText()).isEqualTo("autossh-tunnel-2222.service");
        assertThat(json.get(0).get("bastion").asText()).isEqualTo("user@bastion.example.com");
        assertThat(json.get(0).get("target").asText()).isEqualTo("localhost:22");
        assertThat(json.get(0).get("state").asText()).isEqualTo("active");
        assertThat(json.get(0).get("since").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.get(0).get("restarts").asInt()).isZero();

        CommandResult remove = root("scitex-tunnel remove -p 2222");
        assertThat(remove.exitCode()).as(remove.stderr()).isZero();
        assertNothingLeftOf(2222);
    }

    @Test
    void throughSudoTheServiceRunsAsTheUserAndAcceptNewPinsThePrintedFingerprint() throws Exception {
        String command = "sudo /opt/bin/scitex-tunnel setup -p 2223 -b user@bastion.example.com -s ~/.ssh/id_ed25519";
        CommandResult refused = container.shAs("alice", command);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("is not known", "--accept-new").doesNotContain("\tat ");
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2223.service")).doesNotExist();

        CommandResult setup = container.shAs("alice", command + " --accept-new");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        String fingerprint = root("ssh-keygen -lf /srv/bastion/hostkey.pub | cut -d' ' -f2").stdout().strip();
        assertThat(setup.stdout()).contains("fetched now and pinned", fingerprint, "runs as alice");
        assertThat(root("grep -c '^User=alice$' /etc/systemd/system/autossh-tunnel-2223.service").stdout().strip())
                .isEqualTo("1");
        await().atMost(TUNNEL_UP).untilAsserted(() -> assertThat(
                root("ps -o user= -p $(systemctl show -p MainPID --value autossh-tunnel-2223.service)").stdout().strip())
                .isEqualTo("alice"));
        container.awaitSshThroughTunnel(2223, TUNNEL_UP);
        assertThat(exposure("autossh-tunnel-2223.service")).as("systemd-analyze security").isLessThanOrEqualTo(2.0);

        assertThat(container.shAs("alice", "sudo /opt/bin/scitex-tunnel remove -p 2223").exitCode()).isZero();
        assertNothingLeftOf(2223);
    }

    @Test
    void aDedicatedRestrictedKeyCarriesTheTunnelAndNothingElse() throws Exception {
        CommandResult keygen = container.shAs("alice", "sudo /opt/bin/scitex-tunnel keygen -p 2227");
        assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
        String key = "/home/alice/.ssh/scitex-tunnel-2227_ed25519";
        assertThat(root("stat -c '%U %a' " + key).stdout().strip()).isEqualTo("alice 600");
        assertThat(container.shAs("alice", "sudo /opt/bin/scitex-tunnel keygen -p 2227").exitCode())
                .as("never overwrites without --force: a failure, not a usage error").isEqualTo(1);

        CommandResult authorize = container.shAs("alice", "scitex-tunnel authorize -p 2227");
        assertThat(authorize.exitCode()).as(authorize.stderr()).isZero();
        String line = authorize.stdout().strip();
        assertThat(line).startsWith("command=\"/bin/false\",restrict,port-forwarding,permitlisten=\"localhost:2227\","
                + "permitopen=\"localhost:2227\" ssh-ed25519 ").endsWith(" scitex-tunnel-2227@vm");
        java.nio.file.Files.writeString(container.etc().resolve("scitex-authorized-2227"), line + "\n");
        assertThat(root("cat /etc/scitex-authorized-2227 >> /srv/bastion/authorized_keys/user").exitCode()).isZero();

        CommandResult setup = container.shAs("alice", "sudo /opt/bin/scitex-tunnel setup -p 2227 -b user@bastion.example.com --accept-new");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        container.awaitSshThroughTunnel(2227, TUNNEL_UP);

        String ssh = "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/etc/scitex-tunnel/2227/known_hosts"
                + " -o IdentitiesOnly=yes -i " + key + " ";
        CommandResult shell = container.shAs("alice", ssh + "user@bastion.example.com 'echo got-a-shell'");
        assertThat(shell.stdout()).doesNotContain("got-a-shell");
        assertThat(shell.exitCode()).isNotZero();
        CommandResult otherPort = container.shAs("alice", ssh + "-N -o ExitOnForwardFailure=yes -R 2228:localhost:22"
                + " user@bastion.example.com");
        assertThat(otherPort.exitCode()).isEqualTo(255);
        assertThat(otherPort.stderr()).contains("remote port forwarding failed for listen port 2228");

        assertThat(container.shAs("alice", "sudo /opt/bin/scitex-tunnel remove -p 2227").exitCode()).isZero();
    }

    @Test
    void setupFailsWithTheReasonWhenTheTunnelDoesNotWorkAndKeepsOrRollsBackTheUnit() throws Exception {
        String setup = "scitex-tunnel setup -p 2228 -b user@bastion.example.com -s ~/.ssh/id_rsa"
                + " --target 127.0.0.1:2999 --wait 6";
        CommandResult failed = root(setup);
        assertThat(failed.exitCode()).as(failed.stdout()).isEqualTo(1);
        assertThat(failed.stderr().strip().lines()).singleElement().asString()
                .contains("the tunnel did not come up within 6 s", "127.0.0.1:2999", "the unit stays");
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2228.service")).exists();
        assertThat(root("scitex-tunnel status -p 2228").exitCode()).isEqualTo(3);
        assertThat(root("scitex-tunnel remove -p 2228").exitCode()).isZero();

        CommandResult rolledBack = root(setup + " --rollback");
        assertThat(rolledBack.exitCode()).isEqualTo(1);
        assertThat(rolledBack.stderr()).contains("the tunnel did not come up within 6 s", "removed it again (--rollback)");
        assertNothingLeftOf(2228);
    }

    @Test
    void settingUpATakenPortAgainReplacesTheTunnelAndSaysSo() throws Exception {
        String setup = "scitex-tunnel setup -p 2224 -b user@bastion.example.com -s ~/.ssh/id_rsa";
        assertThat(root(setup).stdout()).doesNotContain("Replaced");
        container.awaitSshThroughTunnel(2224, TUNNEL_UP);
        CommandResult again = root(setup);
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("Replaced the existing tunnel on port 2224",
                "port 2224 is held by the tunnel being replaced");
        container.awaitSshThroughTunnel(2224, TUNNEL_UP);
        CommandResult offline = root(setup + " --no-check");
        assertThat(offline.exitCode()).as(offline.stderr()).isZero();
        assertThat(offline.stdout()).contains("--no-check: not checked whether the bastion is reachable")
                .doesNotContainPattern("(\u2713|ok) +login");
        container.awaitSshThroughTunnel(2224, TUNNEL_UP);
        assertThat(root("scitex-tunnel remove -p 2224").exitCode()).isZero();
    }

    @Test
    void statusExitCodesSayWhetherEveryTunnelIsUp() throws Exception {
        assertThat(root("scitex-tunnel setup -p 2225 -b user@bastion.example.com -s ~/.ssh/id_rsa").exitCode()).isZero();
        // status probes the tunnel end to end: up once ssh has connected, a moment after setup returned
        await().atMost(TUNNEL_UP).untilAsserted(() -> assertThat(root("scitex-tunnel status -p 2225").exitCode()).isZero());

        root("systemctl stop autossh-tunnel-2225.service");
        CommandResult stopped = root("scitex-tunnel status -p 2225");
        assertThat(stopped.exitCode()).isEqualTo(3);
        assertThat(stopped.stdout()).containsPattern("2225 .* inactive \\(dead\\)");
        assertThat(root("scitex-tunnel status").exitCode()).isEqualTo(3);

        CommandResult missing = root("scitex-tunnel status -p 2299");
        assertThat(missing.exitCode()).isEqualTo(4);
        assertThat(missing.stderr()).contains("no tunnel on port 2299");

        assertThat(root("scitex-tunnel remove -p 2225").exitCode()).isZero();
        CommandResult removeAgain = root("scitex-tunnel remove -p 2225");
        assertThat(removeAgain.exitCode()).as("no such tunnel, as for every command").isEqualTo(4);
        assertThat(removeAgain.stderr().strip()).isEqualTo("scitex-tunnel: no tunnel on port 2225:"
                + " `scitex-tunnel status` lists the tunnels there are");
    }

    @Test
    void tunnelsWrittenByThePythonToolAreListedAndRemoved() throws Exception {
        String unit = """
                [Unit]
                Description=AutoSSH tunnel on port 2226
                After=network.target

                [Service]
                Environment="AUTOSSH_GATETIME=0"
                ExecStart=/usr/bin/autossh -M 0 -o "ServerAliveInterval 30" -o "ServerAliveCountMax 3" -NR 2226:localhost:22 user@bastion.example.com -i /root/.ssh/id_rsa
                Restart=always

                [Install]
                WantedBy=multi-user.target
                """;
        java.nio.file.Files.writeString(container.etc().resolve("systemd/system/autossh-tunnel-2226.service"), unit);
        assertThat(root("systemctl daemon-reload && systemctl enable --now autossh-tunnel-2226.service").exitCode()).isZero();

        CommandResult status = root("scitex-tunnel status -p 2226");
        assertThat(status.stdout()).containsPattern("2226 +user@bastion\\.example\\.com +localhost:22 +active");

        assertThat(root("scitex-tunnel remove-tunnel -p 2226").exitCode()).isZero();
        assertNothingLeftOf(2226);
    }

    /** The overall exposure systemd-analyze security gives a unit: 0 (locked down) to 10 (unsafe). */
    private double exposure(String unit) throws IOException {
        String last = root("systemd-analyze security --no-pager " + unit + " | tail -1").stdout();
        java.util.regex.Matcher score = java.util.regex.Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) ")
                .matcher(last);
        assertThat(score.find()).as(last).isTrue();
        System.out.println("systemd-analyze security " + unit + ": " + last.strip());
        return Double.parseDouble(score.group(1));
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }

    private void assertNothingLeftOf(int port) throws IOException {
        String unit = "autossh-tunnel-" + port + ".service";
        assertThat(container.etc().resolve("systemd/system/" + unit)).doesNotExist();
        assertThat(container.etc().resolve("systemd/system/multi-user.target.wants/" + unit)).doesNotExist();
        assertThat(container.etc().resolve("scitex-tunnel/" + port)).doesNotExist();
        // list-units first: asking `systemctl show` about a unit makes systemd load a not-found stub of it.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(root("systemctl list-units --all --plain --no-legend " + unit).stdout()).isBlank());
        assertThat(root("systemctl show -p LoadState --value " + unit).stdout().strip()).isEqualTo("not-found");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(root("ss -ltnH 'sport = :" + port + "'").stdout()).as("bastion still listens").isBlank());
    }
}
