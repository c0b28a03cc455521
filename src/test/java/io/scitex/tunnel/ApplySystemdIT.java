package io.scitex.tunnel;

import static io.scitex.tunnel.testing.AnsibleExample.recap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.AnsibleExample;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code apply} and {@code export} in a real systemd against a real OpenSSH bastion (see
 * {@code src/test/scripts/e2e-world}): a tunnels file of three tunnels on both engines works end to end, a
 * re-apply touches no process, a changed target restarts that tunnel only and reaches the new target,
 * {@code --check} and a bad file change nothing, {@code --prune} removes what the file dropped, and a machine
 * with a setup-made and a Python-tool-made tunnel, exported and applied back, is unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplySystemdIT {
    private static final Duration TUNNEL_UP = Duration.ofSeconds(60);
    private static final String LOG = "[ApplySystemdIT] ";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A second sshd of this machine, on 127.0.0.1:8022 with a host key of its own: the changed target. */
    private static final String SECOND_SSHD = "ssh-keygen -q -t ed25519 -N '' -f /root/target8022_key"
            + " && systemd-run --quiet --unit=sshd-8022 /usr/sbin/sshd -D -p 8022 -h /root/target8022_key"
            + " -o PidFile=/run/sshd-8022.pid";
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        container = SystemdContainer.bootE2eWorld("scitex-apply");
        CommandResult second = root(SECOND_SSHD);
        assertThat(second.exitCode()).as(second.stderr()).isZero();
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

    private static String file(String extra) {
        return """
                [defaults]
                bastion = "user@bastion.example.com"
                key = "/root/.ssh/id_rsa"
                wait = 60

                [[tunnel]]
                port = 2240

                [[tunnel]]
                port = 2241
                engine = "native"
                target = "127.0.0.1:22"

                [[tunnel]]
                port = 2242
                """ + extra;
    }

    @Test
    void aTunnelsFileIsAppliedReappliedChangedCheckedAndPruned() throws Exception {
        write("/root/tunnels.toml", file(""));
        long started = System.nanoTime();
        JsonNode created = applyJson("-f /root/tunnels.toml", 0);
        System.out.printf(LOG + "apply of 3 tunnels (both engines), verified end to end: %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        assertThat(created.get("changed").asBoolean()).isTrue();
        assertThat(actions(created)).containsOnly(Map.entry(2240, "create/ok"), Map.entry(2241, "create/ok"),
                Map.entry(2242, "create/ok"));
        for (int port : List.of(2240, 2241, 2242)) {
            container.awaitSshThroughTunnel(port, SystemdContainer.MACHINE_HOST_KEY, TUNNEL_UP);
        }
        assertThat(root("ps -o comm= -p " + mainPid(2241)).stdout().strip()).as("2241 runs the native engine")
                .isEqualTo("java");
        Map<Integer, String> pids = mainPids();

        JsonNode again = applyJson("-f /root/tunnels.toml", 0);
        assertThat(again.get("changed").asBoolean()).isFalse();
        assertThat(actions(again)).containsOnly(Map.entry(2240, "unchanged/ok"), Map.entry(2241, "unchanged/ok"),
                Map.entry(2242, "unchanged/ok"));
        assertThat(mainPids()).as("no process was touched").isEqualTo(pids);

        String changedTarget = file("target = \"127.0.0.1:8022\"\n");
        write("/root/tunnels.toml", changedTarget);
        String unitBefore = root("cat /etc/systemd/system/autossh-tunnel-2242.service").stdout();
        JsonNode plan = applyJson("-f /root/tunnels.toml --check", 0);
        assertThat(plan.get("changed").asBoolean()).isTrue();
        assertThat(actions(plan)).containsOnly(Map.entry(2240, "unchanged/ok"), Map.entry(2241, "unchanged/ok"),
                Map.entry(2242, "replace/planned"));
        assertThat(root("cat /etc/systemd/system/autossh-tunnel-2242.service").stdout()).isEqualTo(unitBefore);
        assertThat(mainPids()).as("--check changes nothing").isEqualTo(pids);

        CommandResult human = root("scitex-tunnel apply -f /root/tunnels.toml");
        System.out.println(LOG + "apply with one changed target:\n" + human.stdout());
        assertThat(human.exitCode()).as(human.stderr()).isZero();
        assertThat(human.stdout()).containsPattern("2242 +replaced +localhost:2242 on the bastion works: 127\\.0\\.0\\.1:8022 answered")
                .containsPattern("2240 +unchanged +as declared, and running");
        Map<Integer, String> afterChange = mainPids();
        assertThat(afterChange.get(2240)).isEqualTo(pids.get(2240));
        assertThat(afterChange.get(2241)).isEqualTo(pids.get(2241));
        assertThat(afterChange.get(2242)).as("2242 was restarted").isNotEqualTo(pids.get(2242));
        container.awaitSshThroughTunnel(2242, "/root/target8022_key.pub", TUNNEL_UP);

        write("/root/bad.toml", changedTarget + "StrictHostKeyChecking = \"no\"\n");
        CommandResult bad = root("scitex-tunnel apply -f /root/bad.toml --prune");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stdout()).isEmpty();
        assertThat(bad.stderr().strip()).doesNotContain("\n")
                .startsWith("scitex-tunnel: /root/bad.toml:17: tunnel[3].StrictHostKeyChecking: unknown key");
        assertThat(mainPids()).as("a bad file changes nothing").isEqualTo(afterChange);

        write("/root/tunnels.toml", changedTarget.replace("[[tunnel]]\nport = 2241\nengine = \"native\"\n"
                + "target = \"127.0.0.1:22\"\n", ""));
        JsonNode unlisted = applyJson("-f /root/tunnels.toml", 0);
        assertThat(actions(unlisted)).containsEntry(2241, "unlisted/ok");
        assertThat(unlisted.get("changed").asBoolean()).isFalse();
        JsonNode pruned = applyJson("-f /root/tunnels.toml --prune", 0);
        assertThat(actions(pruned)).containsOnly(Map.entry(2240, "unchanged/ok"), Map.entry(2241, "remove/ok"),
                Map.entry(2242, "unchanged/ok"));
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2241.service")).doesNotExist();
        assertThat(container.etc().resolve("scitex-tunnel/2241")).doesNotExist();
        assertThat(root("systemctl show -p LoadState --value autossh-tunnel-2241.service").stdout().strip())
                .isEqualTo("not-found");
        assertThat(mainPid(2240)).isEqualTo(afterChange.get(2240));
        assertThat(mainPid(2242)).isEqualTo(afterChange.get(2242));
    }

    @Test
    void aMachineWithSetupAndPythonToolTunnelsExportedAndAppliedBackIsUnchanged() throws Exception {
        CommandResult setup = root("scitex-tunnel setup -p 2245 -b user@bastion.example.com -s ~/.ssh/id_rsa");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        write("/etc/systemd/system/autossh-tunnel-2246.service", """
                [Unit]
                Description=AutoSSH tunnel on port 2246
                After=network.target

                [Service]
                Environment="AUTOSSH_GATETIME=0"
                ExecStart=/usr/bin/autossh -M 0 -o "ServerAliveInterval 30" -o "ServerAliveCountMax 3" -NR 2246:localhost:22 user@bastion.example.com -i /root/.ssh/id_rsa
                Restart=always

                [Install]
                WantedBy=multi-user.target
                """);
        CommandResult python = root("systemctl daemon-reload && systemctl enable --now autossh-tunnel-2246.service");
        assertThat(python.exitCode()).as(python.stderr()).isZero();
        container.awaitSshThroughTunnel(2246, SystemdContainer.MACHINE_HOST_KEY, TUNNEL_UP);
        Map<Integer, String> pids = Map.of(2245, mainPid(2245), 2246, mainPid(2246));

        CommandResult export = root("scitex-tunnel export > /root/exported.toml && cat /root/exported.toml");
        System.out.println(LOG + "export:\n" + export.stdout());
        assertThat(export.exitCode()).as(export.stderr()).isZero();
        assertThat(export.stdout()).contains("port = 2245", "port = 2246", "key = \"/root/.ssh/id_rsa\"",
                "user = \"root\"", "host_keys = [\"ssh-ed25519 ");

        JsonNode back = applyJson("-f /root/exported.toml --prune", 0);
        assertThat(back.get("changed").asBoolean()).isFalse();
        assertThat(actions(back)).containsOnly(Map.entry(2245, "unchanged/ok"), Map.entry(2246, "unchanged/ok"));
        assertThat(Map.of(2245, mainPid(2245), 2246, mainPid(2246))).isEqualTo(pids);
        assertThat(root("cat /etc/systemd/system/autossh-tunnel-2246.service").stdout())
                .as("the Python tool's unit is left as it was").startsWith("[Unit]\nDescription=AutoSSH tunnel");
    }

    /**
     * The Ansible example (examples/ansible) with Debian's ansible-playbook against this machine ({@code -c local}),
     * the tool run from the checkout's launcher (the role's package path is left empty): the first run changes,
     * the second changes nothing, and check mode, with a changed inventory, reports the change and makes none.
     */
    @Test
    void theAnsibleExampleConvergesOnceAndCheckModeChangesNothing() throws Exception {
        Prerequisites.requireProgram("ansible-playbook", "apt-get install ansible-core");
        AnsibleExample ansible = new AnsibleExample(container);
        String hostKey = ansible.bastionHostKey();
        ansible.write(inventory("127.0.0.1:8022"));

        CommandResult first = ansible.playbook("");
        assertThat(recap(first)).as(first.stdout()).containsEntry("failed", 0);
        assertThat(recap(first).get("changed")).as("directory, file and tunnels: changed").isEqualTo(3);
        container.awaitSshThroughTunnel(2250, SystemdContainer.MACHINE_HOST_KEY, TUNNEL_UP);
        container.awaitSshThroughTunnel(2251, "/root/target8022_key.pub", TUNNEL_UP);
        assertThat(root("ps -o user= -p " + mainPid(2250)).stdout().strip()).isEqualTo("alice");
        String pins = root("cat /etc/scitex-tunnel/2250/known_hosts").stdout();
        assertThat(pins).contains("bastion.example.com " + hostKey);
        String written = root("cat /etc/scitex-tunnel/tunnels.toml").stdout();
        Map<Integer, String> pids = Map.of(2250, mainPid(2250), 2251, mainPid(2251));

        CommandResult second = ansible.playbook("");
        assertThat(recap(second)).as(second.stdout()).containsEntry("failed", 0).containsEntry("changed", 0);
        assertThat(Map.of(2250, mainPid(2250), 2251, mainPid(2251))).isEqualTo(pids);

        CommandResult unchangedCheck = ansible.playbook("--check");
        assertThat(recap(unchangedCheck)).as(unchangedCheck.stdout()).containsEntry("failed", 0)
                .containsEntry("changed", 0);

        ansible.write(inventory("localhost:22"));
        CommandResult check = ansible.playbook("--check");
        System.out.println(LOG + "ansible-playbook --check with a changed target:\n" + check.stdout());
        assertThat(recap(check)).as(check.stdout()).containsEntry("failed", 0).containsEntry("changed", 1);
        assertThat(check.stdout()).contains("2251: replace (planned)");
        assertThat(root("cat /etc/scitex-tunnel/tunnels.toml").stdout()).as("check mode writes nothing")
                .isEqualTo(written);
        assertThat(Map.of(2250, mainPid(2250), 2251, mainPid(2251))).as("check mode restarts nothing").isEqualTo(pids);
        assertThat(root("grep -rn StrictHostKeyChecking=no " + SystemdContainer.projectDirectory()
                .resolve("examples/ansible")).stdout()).isBlank();
    }

    /** The tool from the checkout's launcher (no package): 2250 to this machine's sshd, 2251 to {@code secondTarget}. */
    private static AnsibleExample.Inventory inventory(String secondTarget) {
        return new AnsibleExample.Inventory(Optional.of(SystemdContainer.projectDirectory().resolve("bin/scitex-tunnel")),
                Optional.empty(), 2250, List.of(new AnsibleExample.Tunnel(2251, secondTarget)));
    }

    private JsonNode applyJson(String arguments, int exitCode) throws IOException {
        CommandResult apply = root("scitex-tunnel apply --json " + arguments);
        assertThat(apply.exitCode()).as(apply.stdout() + apply.stderr()).isEqualTo(exitCode);
        return JSON.readTree(apply.stdout());
    }

    private static Map<Integer, String> actions(JsonNode result) {
        Map<Integer, String> actions = new HashMap<>();
        result.get("tunnels").forEach(t -> actions.put(t.get("port").asInt(), t.get("action").asText() + "/"
                + t.get("result").asText()));
        return actions;
    }

    private Map<Integer, String> mainPids() throws IOException {
        Map<Integer, String> pids = new HashMap<>();
        for (int port : List.of(2240, 2241, 2242)) {
            pids.put(port, mainPid(port));
        }
        return pids;
    }

    private String mainPid(int port) throws IOException {
        String pid = root("systemctl show -p MainPID --value autossh-tunnel-" + port + ".service").stdout().strip();
        assertThat(pid).as("MainPID of " + port).isNotEqualTo("0");
        return pid;
    }

    private void write(String path, String content) throws IOException {
        CommandResult written = container.run("bash", "-c", "cat > " + path + " <<'END_OF_FILE'\n" + content
                + "END_OF_FILE");
        assertThat(written.exitCode()).as(written.stderr()).isZero();
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }
}
