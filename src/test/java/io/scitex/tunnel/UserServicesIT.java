package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tunnels without root, in a real systemd against the real OpenSSH bastion of {@code src/test/scripts/e2e-world}:
 * pat, a user without sudo whom an administrator let linger, sets up {@code --user} tunnels on both engines, which
 * run under pat's own systemd user manager, carry ssh, survive the bastion killing their session and keep running
 * once none of pat's sessions is left; status, logs and doctor work as pat; remove leaves nothing; each sandbox
 * directive a user manager applies is seen in force, and the exposure score is measured; a passphrase key works on
 * the native engine. nolin, whom polkit refuses
 * linger, gets the failed step and the administrator's command; a user's setup without --user is refused with both
 * remedies. Nothing is written by a refused setup. Each test uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserServicesIT {
    private static final Duration TUNNEL_UP = Duration.ofSeconds(40);
    private static final String LOG = "[UserServicesIT] ";
    private static final String PAT = "pat";
    private static final String NOLIN = "nolin";
    private static final String BASTION = " -b user@bastion.example.com -s ~/.ssh/id_ed25519";
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("loginctl", "apt-get install systemd");
        Prerequisites.require(Files.exists(Path.of("/usr/lib/polkit-1/polkitd")), "polkitd (apt-get install polkitd)");
        container = SystemdContainer.bootE2eWorld("scitex-user-services");
        // pat: no sudo; the administrator let pat linger. nolin: no sudo, and polkit refuses them linger; their
        // manager runs (as during a login) without it.
        CommandResult users = root("set -e; mkdir -p /etc/polkit-1/rules.d"
                + " && printf '%s\\n' 'polkit.addRule(function(action, subject) {'"
                + " '  if (action.id == \"org.freedesktop.login1.set-self-linger\" && subject.user == \"" + NOLIN + "\")'"
                + " '    return polkit.Result.NO;' '});' > /etc/polkit-1/rules.d/10-no-linger-for-nolin.rules"
                + " && for u in " + PAT + " " + NOLIN + "; do useradd -m -s /bin/bash $u; usermod -p '*' $u;"
                + " runuser -u $u -- bash -c 'mkdir -p -m 700 ~/.ssh && ssh-keygen -q -t ed25519 -N \"\" -f ~/.ssh/id_ed25519"
                + " && cp ~/.ssh/id_ed25519.pub ~/.ssh/authorized_keys"
                + " && ssh-keyscan -H bastion.example.com 2>/dev/null > ~/.ssh/known_hosts';"
                + " cat /home/$u/.ssh/id_ed25519.pub >> /srv/bastion/authorized_keys/user; done"
                + " && loginctl enable-linger " + PAT + " && systemctl start user@$(id -u " + NOLIN + ").service"
                + " && for _ in $(seq 1 100); do [ -S /run/user/$(id -u " + PAT + ")/systemd/private ] && break; sleep 0.1; done"
                + " && ! sudo -l -U " + PAT + " | grep -q 'may run'");
        assertThat(users.exitCode()).as(users.stdout() + users.stderr()).isZero();
    }

    @AfterEach
    void removeLeftoverTunnels() throws IOException {
        root(SystemdContainer.REMOVE_ALL_TUNNELS);
        as(PAT, "for unit in ~/.config/systemd/user/autossh-tunnel-*.service; do [ -e \"$unit\" ] || continue;"
                + " port=${unit##*-}; scitex-tunnel remove --user -p ${port%.service} >/dev/null; done");
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    void aUserWithoutSudoKeepsAnAutosshTunnelOfTheirOwn() throws Exception {
        userTunnelLifecycle(2260, "");
    }

    @Test
    void aUserWithoutSudoKeepsANativeEngineTunnelOfTheirOwn() throws Exception {
        userTunnelLifecycle(2261, " --engine native");
    }

    private void userTunnelLifecycle(int port, String engine) throws Exception {
        String unit = "autossh-tunnel-" + port + ".service";
        CommandResult setup = as(PAT, "scitex-tunnel setup --user -p " + port + BASTION + engine);
        System.out.println(LOG + "setup --user" + engine + ":\n" + setup.stdout());
        assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isZero();
        assertThat(setup.stdout()).contains("✓ linger     on: the tunnel keeps running after pat logs out",
                "Wrote /home/pat/.config/systemd/user/" + unit + " (a user service of pat",
                unit + " is active (running)", "journalctl --user -u " + unit);
        String unitFile = root("cat /home/pat/.config/systemd/user/" + unit).stdout();
        assertThat(unitFile).contains("WantedBy=default.target\n", "PrivateUsers=yes\n",
                "BindReadOnlyPaths=\"/home/pat/.config/scitex-tunnel/" + port + "\"\n").doesNotContain("User=");
        assertThat(root("ls /etc/systemd/system/" + unit + " 2>&1").exitCode()).as("no system unit").isNotZero();

        container.awaitSshThroughTunnel(port, TUNNEL_UP);
        String pid = mainPid(port);
        assertThat(root("ps -o user=,comm= -p " + pid).stdout().strip()).as("pat's manager runs it as pat")
                .matches("pat +" + (engine.isEmpty() ? "autossh" : "java"));
        assertThat(root("systemctl show -p ControlGroup --value user@$(id -u pat).service").stdout().strip()
                + "/app.slice/" + unit).isEqualTo(root("grep ^0:: /proc/" + pid + "/cgroup | cut -d: -f3").stdout().strip());
        assertSandboxHolds(pid);
        System.out.printf(LOG + "systemd-analyze --user security (%s engine): %s%n",
                engine.isEmpty() ? "autossh" : "native", exposure(unit));

        CommandResult table = as(PAT, "scitex-tunnel status --user");
        assertThat(table.exitCode()).as(table.stdout() + table.stderr()).isZero();
        assertThat(table.stdout()).containsPattern(port + " +user@bastion\\.example\\.com +localhost:22 +active \\(running\\)"
                + " .* up ");
        assertThat(table.stderr()).as("pat lingers: no warning").isBlank();
        JsonNode json = new ObjectMapper().readTree(as(PAT, "scitex-tunnel status --user --json -p " + port).stdout());
        assertThat(json.get(0).get("scope").asText()).isEqualTo("user");
        assertThat(json.get(0).get("owner").asText()).isEqualTo(PAT);
        assertThat(json.get(0).get("health").asText()).isEqualTo("up");
        CommandResult logs = as(PAT, "scitex-tunnel logs --user -p " + port + " -n 50");
        assertThat(logs.exitCode()).as(logs.stderr()).isZero();
        assertThat(logs.stdout()).containsPattern("started +Started " + Pattern.quote(unit));
        CommandResult doctor = as(PAT, "scitex-tunnel doctor --user -p " + port);
        assertThat(doctor.exitCode()).as(doctor.stdout() + doctor.stderr()).isZero();
        assertThat(doctor.stdout()).contains("ok      tunnel   works end to end");

        long killed = System.nanoTime();
        CommandResult kill = root("kill $(ss -ltnpH 'sport = :" + port + "' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)");
        assertThat(kill.exitCode()).as(kill.stderr()).isZero();
        container.awaitSshThroughTunnel(port, TUNNEL_UP);
        System.out.printf(LOG + "bastion killed the session: ssh through the tunnel again after %d ms%n",
                (System.nanoTime() - killed) / 1_000_000);

        // A real login of pat's (ssh to this machine, a logind session), ended: then pat has no session at all.
        CommandResult login = as(PAT, "printf '127.0.0.1 %s\\n' \"$(cut -d' ' -f1-2 /etc/ssh/ssh_host_ed25519_key.pub)\""
                + " > ~/.ssh/local_known_hosts && ssh -o BatchMode=yes -o StrictHostKeyChecking=yes"
                + " -o UserKnownHostsFile=~/.ssh/local_known_hosts -o HostKeyAlgorithms=ssh-ed25519 127.0.0.1"
                + " 'loginctl show-session $XDG_SESSION_ID -p Name --value'");
        assertThat(login.stdout().strip()).as(login.stderr()).isEqualTo(PAT);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                root("loginctl show-user pat -p State -p Sessions").stdout()).contains("State=lingering", "Sessions=\n"));
        container.awaitSshThroughTunnel(port, TUNNEL_UP);
        assertThat(mainPid(port)).as("the same service process, never stopped").isEqualTo(pid);

        CommandResult remove = as(PAT, "scitex-tunnel remove --user -p " + port);
        assertThat(remove.exitCode()).as(remove.stderr()).isZero();
        assertThat(container.run("test", "-e", "/home/pat/.config/systemd/user/" + unit).exitCode()).isNotZero();
        assertThat(container.run("test", "-e", "/home/pat/.config/systemd/user/default.target.wants/" + unit).exitCode())
                .isNotZero();
        assertThat(container.run("test", "-e", "/home/pat/.config/scitex-tunnel/" + port).exitCode()).isNotZero();
        assertThat(userSystemctl(PAT, "show -p LoadState --value " + unit).stdout().strip()).isEqualTo("not-found");
        assertThat(root("pgrep -u pat -f -- '-p " + port + " '").stdout()).as("tunnel processes").isBlank();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(root("ss -ltnH 'sport = :" + port + "'").stdout()).as("bastion still listens").isBlank());
    }

    /** A tunnels file of the user's own, applied with --user: created, left alone when unchanged, exported, pruned. */
    @Test
    void aUserAppliesATunnelsFileOfTheirOwnExportsItAndPrunesIt() throws Exception {
        int port = 2267;
        String file = "~/.config/scitex-tunnel/tunnels.toml";
        CommandResult written = as(PAT, "mkdir -p ~/.config/scitex-tunnel && printf '%s\\n' '[defaults]'"
                + " 'bastion = \"user@bastion.example.com\"' 'key = \"/home/pat/.ssh/id_ed25519\"' ''"
                + " '[[tunnel]]' 'port = " + port + "' > " + file);
        assertThat(written.exitCode()).as(written.stderr()).isZero();
        ObjectMapper mapper = new ObjectMapper();

        CommandResult applied = as(PAT, "scitex-tunnel apply --user --json");
        System.out.println(LOG + "apply --user --json:\n" + applied.stdout());
        assertThat(applied.exitCode()).as(applied.stdout() + applied.stderr()).isZero();
        JsonNode first = mapper.readTree(applied.stdout());
        assertThat(first.get("changed").asBoolean()).isTrue();
        assertThat(first.get("tunnels").get(0).get("action").asText()).isEqualTo("create");
        assertThat(first.get("tunnels").get(0).get("result").asText()).isEqualTo("ok");
        assertThat(root("cat /home/pat/.config/systemd/user/autossh-tunnel-" + port + ".service").stdout())
                .contains("WantedBy=default.target").doesNotContain("User=");
        container.awaitSshThroughTunnel(port, TUNNEL_UP);
        String pid = mainPid(port);

        JsonNode again = mapper.readTree(as(PAT, "scitex-tunnel apply --user --json").stdout());
        assertThat(again.get("changed").asBoolean()).isFalse();
        assertThat(mainPid(port)).as("an unchanged tunnel keeps its process").isEqualTo(pid);

        CommandResult exported = as(PAT, "scitex-tunnel export --user > ~/exported.toml"
                + " && scitex-tunnel apply --user --check --json -f ~/exported.toml");
        assertThat(exported.exitCode()).as(exported.stdout() + exported.stderr()).isZero();
        assertThat(mapper.readTree(exported.stdout()).get("changed").asBoolean()).as(exported.stdout()).isFalse();

        CommandResult other = as(PAT, "printf '%s\\n' '[[tunnel]]' 'port = 2268' 'user = \"nolin\"'"
                + " 'bastion = \"user@bastion.example.com\"' 'key = \"/home/pat/.ssh/id_ed25519\"' > ~/other.toml"
                + " && scitex-tunnel apply --user -f ~/other.toml");
        assertThat(other.exitCode()).as(other.stdout() + other.stderr()).isEqualTo(2);
        assertThat(other.stderr()).contains("a tunnel of your own runs as you, not as 'nolin'");
        assertThat(container.run("test", "-e", "/home/pat/.config/systemd/user/autossh-tunnel-2268.service")
                .exitCode()).as("nothing written").isNotZero();

        CommandResult pruned = as(PAT, "printf '%s\\n' '[defaults]' 'bastion = \"user@bastion.example.com\"' > ~/none.toml"
                + " && scitex-tunnel apply --user --prune -f ~/none.toml");
        assertThat(pruned.exitCode()).as(pruned.stdout() + pruned.stderr()).isZero();
        assertThat(container.run("test", "-e", "/home/pat/.config/systemd/user/autossh-tunnel-" + port + ".service")
                .exitCode()).as("pruned").isNotZero();
    }

    /** The key's passphrase reaches a user's native-engine service as a credential, from the user's own copy. */
    @Test
    void aPassphraseKeyWorksForAUsersNativeEngineTunnel() throws Exception {
        CommandResult key = as(PAT, "ssh-keygen -q -t ed25519 -N 'pass phrase' -f ~/.ssh/tunnel_key"
                + " && printf 'pass phrase\\n' > ~/.ssh/tunnel_key.passphrase && chmod 600 ~/.ssh/tunnel_key.passphrase");
        assertThat(key.exitCode()).as(key.stderr()).isZero();
        assertThat(root("cat /home/pat/.ssh/tunnel_key.pub >> /srv/bastion/authorized_keys/user").exitCode()).isZero();

        CommandResult setup = as(PAT, "scitex-tunnel setup --user -p 2266 -b user@bastion.example.com"
                + " -s ~/.ssh/tunnel_key --engine native --passphrase-file ~/.ssh/tunnel_key.passphrase");

        assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isZero();
        assertThat(root("cat /home/pat/.config/systemd/user/autossh-tunnel-2266.service").stdout())
                .contains("LoadCredential=passphrase:/home/pat/.config/scitex-tunnel/2266/passphrase\n")
                .doesNotContain("pass phrase");
        assertThat(root("stat -c '%U %a' /home/pat/.config/scitex-tunnel/2266/passphrase").stdout().strip())
                .isEqualTo("pat 600");
        container.awaitSshThroughTunnel(2266, TUNNEL_UP);
        assertThat(as(PAT, "scitex-tunnel remove --user -p 2266").exitCode()).isZero();
        assertThat(container.run("test", "-e", "/home/pat/.config/scitex-tunnel/2266").exitCode()).isNotZero();
    }

    @Test
    void aUserWhoMayNotLingerGetsTheFailedStepAndTheAdministratorsCommandAndNothingIsWritten() throws Exception {
        CommandResult setup = as(NOLIN, "scitex-tunnel setup --user -p 2262" + BASTION);
        System.out.println(LOG + "setup --user without linger:\n" + setup.stdout() + setup.stderr());
        assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isEqualTo(1);
        assertThat(setup.stdout()).contains("✓ permission", "✗ linger").doesNotContain("✓ linger", "bastion");
        assertThat(setup.stderr().strip()).doesNotContain("\n").contains("linger is off for nolin",
                "Access denied", "ask an administrator to run `sudo loginctl enable-linger nolin`",
                "the tunnel stops when nolin's last session ends and does not start at boot");
        assertThat(root("loginctl show-user nolin -p Linger 2>&1; ls /var/lib/systemd/linger").stdout())
                .doesNotContain("Linger=yes", NOLIN);
        assertThat(root("ls -A /home/nolin/.config 2>&1").stdout()).as("nothing written").contains("No such file");
    }

    @Test
    void aUsersSetupWithoutUserIsRefusedWithBothRemediesAndWritesNothingWhileKeygenUserWorks() throws Exception {
        CommandResult setup = as(PAT, "scitex-tunnel setup -p 2263" + BASTION);
        System.out.println(LOG + "setup without --user, no sudo: " + setup.stderr().strip());
        assertThat(setup.exitCode()).isEqualTo(1);
        assertThat(setup.stderr().strip()).doesNotContain("\n").contains("cannot write units to /etc/systemd/system",
                "run with sudo for a system tunnel", "or add --user for a tunnel of your own without root");
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2263.service")).doesNotExist();
        assertThat(container.etc().resolve("scitex-tunnel/2263")).doesNotExist();
        assertThat(container.run("test", "-e", "/home/pat/.config/systemd/user/autossh-tunnel-2263.service").exitCode())
                .isNotZero();

        CommandResult keygen = as(PAT, "scitex-tunnel keygen --user -p 2263");
        assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
        assertThat(keygen.stdout()).contains("Created /home/pat/.ssh/scitex-tunnel-2263_ed25519", "owned by pat");
        assertThat(root("stat -c '%U %a' /home/pat/.ssh/scitex-tunnel-2263_ed25519").stdout().strip())
                .isEqualTo("pat 600");
    }

    @Test
    void aUsersStatusCountsTheSystemTunnelsAndRootListsEveryLingeringUsersByOwner() throws Exception {
        assertThat(root("scitex-tunnel setup -p 2264 -b user@bastion.example.com -s ~/.ssh/id_rsa").exitCode()).isZero();
        assertThat(as(PAT, "scitex-tunnel setup --user -p 2265" + BASTION).exitCode()).isZero();

        CommandResult own = as(PAT, "scitex-tunnel status --user --no-probe");
        CommandResult system = as(PAT, "scitex-tunnel status --no-probe");

        assertThat(own.stdout()).containsPattern("2265 +user@bastion").doesNotContain("2264 ")
                .contains("1 system tunnel on this machine as well: scitex-tunnel status shows it");
        assertThat(system.stdout()).containsPattern("2264 +user@bastion").doesNotContain("2265 ")
                .contains("1 tunnel of your own as well: scitex-tunnel status --user shows it");

        CommandResult all = root("scitex-tunnel status --all-users");
        System.out.println(LOG + "status --all-users as root:\n" + all.stdout() + all.stderr());
        assertThat(all.exitCode()).as(all.stdout() + all.stderr()).isZero();
        assertThat(all.stdout()).containsPattern("system +2264 +user@bastion\\.example\\.com .* up ")
                .containsPattern("pat +2265 +user@bastion\\.example\\.com .* up ");
        JsonNode json = new ObjectMapper().readTree(root("scitex-tunnel status --all-users --json --no-probe").stdout());
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("scope").asText() + " " + json.get(0).get("port").asInt()).isEqualTo("system 2264");
        assertThat(json.get(1).get("scope").asText() + " " + json.get(1).get("owner").asText() + " "
                + json.get(1).get("port").asInt()).isEqualTo("user pat 2265");
        CommandResult notRoot = as(PAT, "scitex-tunnel status --all-users");
        assertThat(notRoot.exitCode()).isEqualTo(2);
        assertThat(notRoot.stderr()).contains("--all-users needs root");
    }

    /**
     * Each directive of the user unit's sandbox, seen from outside in the running service: what the unit asks
     * for, the kernel enforces.
     */
    private void assertSandboxHolds(String pid) throws IOException {
        String status = root("grep -E '^(NoNewPrivs|Seccomp|CapBnd):' /proc/" + pid + "/status").stdout();
        assertThat(status).as("NoNewPrivileges, SystemCallFilter (and the families, MDWE), CapabilityBoundingSet")
                .containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2").containsPattern("CapBnd:\\s+0+\n");
        for (String namespace : new String[] {"user", "mnt", "ipc", "uts"}) {
            assertThat(root("readlink /proc/" + pid + "/ns/" + namespace).stdout())
                    .as("PrivateUsers/ProtectSystem/PrivateIPC/ProtectHostname: own " + namespace + " namespace")
                    .isNotEqualTo(root("readlink /proc/1/ns/" + namespace).stdout());
        }
        String inside = root("nsenter -t " + pid + " -m sh -c 'touch /usr/x 2>&1; echo tmp=$(ls -A /tmp | wc -l);"
                + " echo home=$(ls -A /home); echo ssh=$(ls -A /home/pat/.ssh); echo dev=$(ls /dev | wc -l);"
                + " echo x 2>&1 > /proc/sys/kernel/domainname; grep \" /sys/fs/cgroup \" /proc/self/mounts'").stdout();
        System.out.println(LOG + "inside the sandbox:\n" + inside);
        assertThat(inside).as("ProtectSystem=strict").contains("'/usr/x': Read-only file system");
        assertThat(inside).as("PrivateTmp: an empty /tmp").contains("tmp=0\n");
        assertThat(inside).as("ProtectHome=tmpfs: only pat's bound-in files").contains("home=pat\n", "ssh=id_ed25519\n");
        Matcher devices = Pattern.compile("dev=(\\d+)").matcher(inside);
        assertThat(devices.find()).isTrue();
        assertThat(Integer.parseInt(devices.group(1))).as("PrivateDevices: a minimal /dev").isLessThan(25);
        assertThat(inside).as("ProtectKernelTunables").containsPattern("domainname: (Read-only file system|Permission denied)");
        assertThat(inside).as("ProtectControlGroups").containsPattern(" /sys/fs/cgroup \\S+ ro,");
    }

    private String exposure(String unit) throws IOException {
        String last = userSystemctlAnalyze(unit);
        Matcher score = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) ").matcher(last);
        assertThat(score.find()).as(last).isTrue();
        assertThat(Double.parseDouble(score.group(1))).as(last).isLessThanOrEqualTo(2.0);
        return last.strip();
    }

    private String userSystemctlAnalyze(String unit) throws IOException {
        return container.run("runuser", "-u", PAT, "--", "env", "XDG_RUNTIME_DIR=/run/user/" + uid(PAT),
                "bash", "-c", "systemd-analyze --user security --no-pager " + unit + " | tail -1").stdout();
    }

    private String mainPid(int port) throws IOException {
        return userSystemctl(PAT, "show -p MainPID --value autossh-tunnel-" + port + ".service").stdout().strip();
    }

    private CommandResult userSystemctl(String user, String args) throws IOException {
        return container.run("runuser", "-u", user, "--", "env", "XDG_RUNTIME_DIR=/run/user/" + uid(user),
                "bash", "-c", "systemctl --user " + args);
    }

    private String uid(String user) throws IOException {
        return root("id -u " + user).stdout().strip();
    }

    /** As {@code user}, without a login session and without XDG_RUNTIME_DIR: the tool finds the manager itself. */
    private CommandResult as(String user, String script) throws IOException {
        return container.run("runuser", "-u", user, "--", "env", "-u", "XDG_RUNTIME_DIR", "bash", "-lc",
                "export PATH=/opt/bin:$PATH; cd; " + script);
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }
}
