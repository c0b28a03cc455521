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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code setup --engine native} in a real systemd, against a real OpenSSH bastion (see
 * {@code src/test/scripts/e2e-world}): the seed's command with the native engine carries an SSH session,
 * status shows it, the sandbox scores at most 2.0, the tunnel comes back after the bastion kills its session,
 * systemctl stop is a clean exit, and remove leaves nothing; and a native unit runs only code that its sandbox
 * shows and that nobody but root and its user may change (a checkout under /tmp, in a home or of another user
 * is refused). The tool runs from the world's root-owned copy in /opt/scitex-tunnel, wherever the checkout under
 * test lives. Each test uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NativeEngineSystemdIT {
    private static final Duration TUNNEL_UP = Duration.ofSeconds(40);
    private static final String LOG = "[NativeEngineSystemdIT] ";
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("sudo", "apt-get install sudo");
        container = SystemdContainer.bootE2eWorld("scitex-native");
    }

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
    void theSeedsSetupWithTheNativeEngineCarriesSshSurvivesAKilledSessionAndIsRemovedWithoutTrace() throws Exception {
        CommandResult setup = root("scitex-tunnel setup -p 2232 -b user@bastion.example.com -s ~/.ssh/id_rsa"
                + " --engine native");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        assertThat(setup.stdout()).contains("(from /root/.ssh/known_hosts)", "(runs as root, with the native engine)",
                "autossh-tunnel-2232.service is active");
        String unit = root("cat /etc/systemd/system/autossh-tunnel-2232.service").stdout();
        assertThat(unit).contains("ExecStart=/opt/scitex-tunnel/bin/scitex-tunnel"
                + " run -p 2232 -b user@bastion.example.com -s /root/.ssh/id_rsa --target localhost:22"
                + " --known-hosts /etc/scitex-tunnel/2232/known_hosts").doesNotContain("MemoryDenyWriteExecute");

        container.awaitSshThroughTunnel(2232, TUNNEL_UP);
        assertThat(root("ps -o comm= -p $(systemctl show -p MainPID --value autossh-tunnel-2232.service)").stdout()
                .strip()).as("the service runs java, no ssh").isEqualTo("java");
        assertThat(root("pgrep -x ssh; pgrep -x autossh").stdout()).isBlank();
        assertThat(exposure("autossh-tunnel-2232.service")).as("systemd-analyze security").isLessThanOrEqualTo(2.0);

        CommandResult table = root("scitex-tunnel status");
        assertThat(table.exitCode()).isZero();
        assertThat(table.stdout()).containsPattern("2232 +user@bastion\\.example\\.com +localhost:22 +active \\(running\\)");
        JsonNode json = new ObjectMapper().readTree(root("scitex-tunnel status --json -p 2232").stdout());
        assertThat(json.get(0).get("bastion").asText()).isEqualTo("user@bastion.example.com");
        assertThat(json.get(0).get("target").asText()).isEqualTo("localhost:22");
        assertThat(json.get(0).get("up").asBoolean()).isTrue();
        JsonNode state = engineState(2232);
        assertThat(state.get("state").asText()).isEqualTo("up");
        assertThat(state.get("bytes_from_target").asLong()).as("the ssh session's bytes").isPositive();

        long killed = System.nanoTime();
        CommandResult kill = root("kill $(ss -ltnpH 'sport = :2232' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)");
        assertThat(kill.exitCode()).as(kill.stderr()).isZero();
        container.awaitSshThroughTunnel(2232, TUNNEL_UP);
        System.out.printf(LOG + "bastion killed the session: ssh through the tunnel again after %d ms%n",
                (System.nanoTime() - killed) / 1_000_000);
        assertThat(engineState(2232).get("reconnects").asInt()).isPositive();
        assertThat(root("systemctl show -p NRestarts --value autossh-tunnel-2232.service").stdout().strip())
                .as("the engine reconnected by itself; systemd did not restart it").isEqualTo("0");

        assertThat(root("systemctl stop autossh-tunnel-2232.service").exitCode()).isZero();
        assertThat(root("systemctl show -p Result,ExecMainStatus autossh-tunnel-2232.service").stdout())
                .as("SIGTERM is a clean exit 0").contains("Result=success", "ExecMainStatus=0");
        assertThat(root("journalctl -u autossh-tunnel-2232.service --no-pager").stdout())
                .contains("tunnel 2232: up", "tunnel 2232: closed").doesNotContain("\tat ");

        CommandResult remove = root("scitex-tunnel remove -p 2232");
        assertThat(remove.exitCode()).as(remove.stderr()).isZero();
        assertNothingLeftOf(2232);
        assertThat(root("ls /run/scitex-tunnel-2232 2>&1").exitCode()).as("the runtime directory is gone").isNotZero();
    }

    /**
     * alice, through sudo, with a key whose passphrase systemd hands to the service as a credential; the same
     * setup through a copy of the tool in her home is refused: the sandbox (ProtectHome=tmpfs) hides it.
     */
    @Test
    void aPassphraseKeyWorksUnderTheSandboxAndALauncherInAHomeIsRefused() throws Exception {
        String project = SystemdContainer.projectDirectory().toString();
        CommandResult prepared = container.shAs("alice", "mkdir -p ~/scitex-tunnel/bin ~/scitex-tunnel/target"
                + " && cp " + project + "/bin/scitex-tunnel ~/scitex-tunnel/bin/"
                + " && cp " + project + "/target/scitex-tunnel.jar ~/scitex-tunnel/target/"
                + " && ssh-keygen -q -t ed25519 -N 'pass phrase' -f ~/.ssh/tunnel_key"
                + " && printf 'pass phrase\\n' > ~/.ssh/tunnel_key.passphrase && chmod 600 ~/.ssh/tunnel_key.passphrase");
        assertThat(prepared.exitCode()).as(prepared.stderr()).isZero();
        assertThat(root("cat /home/alice/.ssh/tunnel_key.pub >> /srv/bastion/authorized_keys/user").exitCode()).isZero();
        String options = " setup -p 2233 -b user@bastion.example.com -s ~/.ssh/tunnel_key --engine native"
                + " --passphrase-file ~/.ssh/tunnel_key.passphrase --accept-new";

        CommandResult fromHome = container.shAs("alice", "sudo ~/scitex-tunnel/bin/scitex-tunnel" + options);
        System.out.println(LOG + "setup from a home: " + fromHome.stderr().strip());
        assertThat(fromHome.exitCode()).as(fromHome.stdout() + fromHome.stderr()).isEqualTo(2);
        assertThat(fromHome.stderr().strip()).doesNotContain("\n").isEqualTo("scitex-tunnel: the native engine's"
                + " service (as alice) would run /home/alice/scitex-tunnel/bin/scitex-tunnel, which its sandbox hides"
                + " (ProtectHome=tmpfs replaces /home): install the package (sudo apt install ./scitex-tunnel_*.deb)"
                + " and run setup with /usr/bin/scitex-tunnel");
        assertNothingLeftOf(2233);

        CommandResult setup = container.shAs("alice", "sudo /opt/bin/scitex-tunnel" + options);
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        String unit = root("cat /etc/systemd/system/autossh-tunnel-2233.service").stdout();
        assertThat(unit).contains("User=alice\n", "ExecStart=/opt/scitex-tunnel/bin/scitex-tunnel run ",
                "LoadCredential=passphrase:/etc/scitex-tunnel/2233/passphrase\n").doesNotContain("pass phrase");

        container.awaitSshThroughTunnel(2233, TUNNEL_UP);
        assertThat(root("ps -o user=,comm= -p $(systemctl show -p MainPID --value autossh-tunnel-2233.service)")
                .stdout().strip()).isEqualTo("alice    java");
        assertThat(exposure("autossh-tunnel-2233.service")).as("systemd-analyze security").isLessThanOrEqualTo(2.0);

        assertThat(container.shAs("alice", "sudo /opt/bin/scitex-tunnel remove -p 2233").exitCode()).isZero();
        assertNothingLeftOf(2233);
    }

    @Test
    void statusListsTunnelsOfBothEngines() throws Exception {
        assertThat(root("scitex-tunnel setup -p 2234 -b user@bastion.example.com -s ~/.ssh/id_rsa").exitCode()).isZero();
        assertThat(root("scitex-tunnel setup -p 2235 -b user@bastion.example.com -s ~/.ssh/id_rsa --target 127.0.0.1:22"
                + " --engine native").exitCode()).isZero();

        CommandResult status = root("scitex-tunnel status");

        assertThat(status.stdout()).containsPattern("2234 +user@bastion\\.example\\.com +localhost:22 +active")
                .containsPattern("2235 +user@bastion\\.example\\.com +127\\.0\\.0\\.1:22 +active");
        assertThat(root("scitex-tunnel remove -p 2234").exitCode()).isZero();
        assertThat(root("scitex-tunnel remove -p 2235").exitCode()).isZero();
        assertNothingLeftOf(2234);
        assertNothingLeftOf(2235);
    }

    /**
     * The service's /tmp is private (PrivateTmp=yes): a checkout under /tmp (as a fresh CI clone may be), or that
     * is /tmp itself, is refused at setup in one line saying to install the package, before anything is written.
     */
    @Test
    void aCheckoutUnderTmpIsRefusedAtSetupWithWhatToDo() throws Exception {
        String project = SystemdContainer.projectDirectory().toString();
        assertThat(root("for d in /tmp/st /tmp; do mkdir -p $d/bin $d/target && cp " + project + "/bin/scitex-tunnel"
                + " $d/bin/ && cp " + project + "/target/scitex-tunnel.jar $d/target/; done").exitCode()).isZero();
        try {
            for (String checkout : new String[] {"/tmp/st", "/tmp"}) {
                CommandResult setup = root(checkout + "/bin/scitex-tunnel setup -p 2236 -b user@bastion.example.com"
                        + " -s ~/.ssh/id_rsa --engine native");

                System.out.println(LOG + "setup from " + checkout + ": " + setup.stderr().strip());
                assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isEqualTo(2);
                assertThat(setup.stderr().strip()).doesNotContain("\n").isEqualTo("scitex-tunnel: the native engine's"
                        + " service (as root) would run " + checkout + "/bin/scitex-tunnel, which its sandbox hides"
                        + " (PrivateTmp=yes replaces /tmp): install the package (sudo apt install ./scitex-tunnel_*.deb)"
                        + " and run setup with /usr/bin/scitex-tunnel");
                assertThat(setup.stdout()).as("no check ran").isBlank();
                assertNothingLeftOf(2236);
            }
        } finally {
            root("rm -rf /tmp/st /tmp/bin /tmp/target");
        }
    }

    /**
     * alice's checkout, outside any hidden directory: root's launcher does not build its stale sources as root (it
     * builds as alice), and root's native unit may not run what alice can change.
     */
    @Test
    void rootNeitherBuildsNorRunsACheckoutAnotherUserOwns() throws Exception {
        String project = SystemdContainer.projectDirectory().toString();
        // A Maven that records who runs it, then runs the real one (which, as alice, offline, fails: fine here).
        String recordingMaven = "mkdir -p /srv/fake-bin && printf '#!/bin/sh\\nid -un >> /srv/mvn-users\\n"
                + "exec /usr/bin/mvn \"$@\"\\n' > /srv/fake-bin/mvn && chmod 755 /srv/fake-bin/mvn && touch /srv/mvn-users"
                + " && chmod 666 /srv/mvn-users";
        assertThat(root(recordingMaven + " && mkdir -p /srv/alice-co && cp -r " + project + "/bin " + project + "/pom.xml "
                + project + "/src /srv/alice-co/ && mkdir /srv/alice-co/target && cp " + project
                + "/target/scitex-tunnel.jar /srv/alice-co/target/ && chown -R alice: /srv/alice-co"
                + " && touch -d '1 hour ago' /srv/alice-co/target/scitex-tunnel.jar").exitCode()).isZero();
        try {
            CommandResult stale = root("PATH=/srv/fake-bin:$PATH /srv/alice-co/bin/scitex-tunnel --version");
            System.out.println(LOG + "root over alice's stale checkout: " + stale.stderr().lines()
                    .filter(line -> line.startsWith("scitex-tunnel:")).collect(Collectors.joining(" / ")));
            assertThat(root("cat /srv/mvn-users").stdout().strip()).as("who ran Maven").isEqualTo("alice");
            assertThat(stale.stderr()).contains("building /srv/alice-co/target/scitex-tunnel.jar as alice",
                    "the build failed; run 'sudo -u alice mvn -B -f /srv/alice-co/pom.xml -DskipTests package' to see why");

            assertThat(root("touch /srv/alice-co/target/scitex-tunnel.jar").exitCode()).isZero();
            CommandResult setup = root("/srv/alice-co/bin/scitex-tunnel setup -p 2238 -b user@bastion.example.com"
                    + " -s ~/.ssh/id_rsa --engine native");
            assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isEqualTo(2);
            assertThat(setup.stderr().strip()).doesNotContain("\n").startsWith("scitex-tunnel: the native engine's"
                    + " service (as root) would run /srv/alice-co/bin/scitex-tunnel, and /srv/alice-co/bin/scitex-tunnel"
                    + " belongs to uid " + container.run("id", "-u", "alice").stdout().strip() + ", who could change");
            assertNothingLeftOf(2238);
        } finally {
            root("rm -rf /srv/alice-co /srv/fake-bin /srv/mvn-users");
        }
    }

    /** The native engine's own account of the tunnel, from its state file. */
    private JsonNode engineState(int port) throws IOException {
        return new ObjectMapper().readTree(root("cat /run/scitex-tunnel-" + port + "/" + port + ".json").stdout());
    }

    private double exposure(String unit) throws IOException {
        String last = root("systemd-analyze security --no-pager " + unit + " | tail -1").stdout();
        Matcher score = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) ").matcher(last);
        assertThat(score.find()).as(last).isTrue();
        System.out.println(LOG + "systemd-analyze security " + unit + ": " + last.strip());
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
        assertThat(root("systemctl show -p LoadState --value " + unit).stdout().strip()).isEqualTo("not-found");
        assertThat(root("systemctl list-units --all --plain --no-legend " + unit).stdout()).isBlank();
        assertThat(root("pgrep -f 'scitex-tunnel.jar run -p " + port + " '").stdout()).as("engine processes").isBlank();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(root("ss -ltnH 'sport = :" + port + "'").stdout()).as("bastion still listens").isBlank());
    }
}
