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
 * The tunnel's unit and service when the machine around them is hostile or broken, in a real systemd with a
 * real OpenSSH bastion and real users (see {@code src/test/scripts/e2e-world}): a restart leaves the service
 * user's IPC objects alone; drop-ins are shown and never silently inherited; a masked unit is not replaced
 * without --force; a native tunnel whose configuration can never work fails once instead of restarting
 * forever; the launcher starts on a JVM that lacks one of its flags; another user's directory in /tmp does
 * not receive a tunnel's state. Each test uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnitRobustnessIT {
    private static final Duration UP = Duration.ofSeconds(40);
    private static final String LOG = "[UnitRobustnessIT] ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("sudo", "apt-get install sudo");
        Prerequisites.requireProgram("ipcmk", "apt-get install util-linux");
        container = SystemdContainer.bootE2eWorld("scitex-units");
    }

    /** A failed test must not leave its tunnel, drop-ins or masks behind for the next one. */
    @AfterEach
    void removeLeftovers() throws IOException {
        root("systemctl stop alice-run 2>/dev/null; rm -rf /etc/systemd/system/autossh-tunnel-*.service.d"
                + " /etc/systemd/system.control/autossh-tunnel-*.service.d;"
                + " for unit in /etc/systemd/system/autossh-tunnel-*.service; do [ -e \"$unit\" ] || continue;"
                + " port=${unit##*-}; scitex-tunnel remove -p ${port%.service} >/dev/null 2>&1; rm -f \"$unit\"; done;"
                + " systemctl daemon-reload");
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    /**
     * systemd's RemoveIPC= deletes every System V and POSIX IPC object of the unit's user, system-wide, when
     * the unit stops: a tunnel restart must not wipe the shared memory of the user's database or browser.
     */
    @Test
    void theServiceUsersSharedMemoryAndSemaphoresSurviveATunnelRestart() throws Exception {
        CommandResult setup = container.shAs("alice", "sudo /opt/bin/scitex-tunnel setup -p 2260"
                + " -b user@bastion.example.com -s ~/.ssh/id_ed25519 --accept-new");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        assertThat(root("systemctl show -p User --value autossh-tunnel-2260.service").stdout().strip()).isEqualTo("alice");

        CommandResult made = container.shAs("alice", "printf data > /dev/shm/alice-posix-shm"
                + " && ipcmk -M 4096 | grep -o '[0-9]*$' && ipcmk -S 1 | grep -o '[0-9]*$'");
        assertThat(made.exitCode()).as(made.stderr()).isZero();
        String[] ids = made.stdout().strip().split("\n");
        assertThat(ids).hasSize(2);

        assertThat(root("systemctl restart autossh-tunnel-2260.service").exitCode()).isZero();
        await().atMost(UP).untilAsserted(() -> assertThat(root("systemctl is-active autossh-tunnel-2260.service")
                .stdout().strip()).isEqualTo("active"));

        assertThat(root("cat /dev/shm/alice-posix-shm").stdout()).as("alice's POSIX shared memory").isEqualTo("data");
        assertThat(root("ipcs -m -i " + ids[0]).exitCode()).as("alice's System V shared memory").isZero();
        assertThat(root("ipcs -s -i " + ids[1]).exitCode()).as("alice's System V semaphores").isZero();
        System.out.println(LOG + "as alice: " + exposureLine("autossh-tunnel-2260.service"));

        assertThat(container.shAs("alice", "sudo /opt/bin/scitex-tunnel remove -p 2260").exitCode()).isZero();
        root("ipcrm -m " + ids[0] + " -s " + ids[1] + "; rm -f /dev/shm/alice-posix-shm");
    }

    /**
     * An administrator's drop-ins (systemctl edit, systemctl set-property) change the tunnel without its unit
     * file saying so: status and doctor name them, and remove leaves them in place, saying so.
     */
    @Test
    void dropInsAreShownByStatusAndDoctorAndRemoveLeavesThemInPlaceSayingSo() throws Exception {
        assertThat(root(setupAsRoot(2261, "")).exitCode()).isZero();
        Path edited = container.etc().resolve("systemd/system/autossh-tunnel-2261.service.d/override.conf");
        Files.createDirectories(edited.getParent());
        Files.writeString(edited, "[Service]\nEnvironment=ADMIN_NOTE=1\n");
        assertThat(root("systemctl daemon-reload && systemctl set-property autossh-tunnel-2261.service CPUWeight=50")
                .exitCode()).isZero();
        String property = root("ls /etc/systemd/system.control/autossh-tunnel-2261.service.d/*.conf").stdout().strip();
        assertThat(property).endsWith(".conf");
        String overridePath = "/etc/systemd/system/autossh-tunnel-2261.service.d/override.conf";

        JsonNode status = JSON.readTree(root("scitex-tunnel status --json --no-probe -p 2261").stdout()).get(0);
        assertThat(status.get("drop_ins")).extracting(JsonNode::asText).containsExactlyInAnyOrder(overridePath, property);
        CommandResult table = root("scitex-tunnel status --no-probe -p 2261");
        assertThat(table.stdout()).contains(overridePath, property);

        CommandResult doctor = root("scitex-tunnel doctor -p 2261 --json");
        JsonNode findings = JSON.readTree(doctor.stdout()).get(0).get("findings");
        assertThat(findings).filteredOn(f -> f.get("text").asText().contains(overridePath)).singleElement()
                .satisfies(f -> {
                    assertThat(f.get("severity").asText()).isEqualTo("advice");
                    assertThat(f.get("fix").asText()).contains("systemctl cat autossh-tunnel-2261.service");
                });

        CommandResult remove = root("scitex-tunnel remove -p 2261");
        assertThat(remove.exitCode()).as(remove.stderr()).isZero();
        assertThat(remove.stderr()).contains("left " + overridePath + " in place", "left " + property + " in place");
        assertThat(edited).as("the admin's file is not deleted").exists();
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2261.service")).doesNotExist();
    }

    /** A masked unit (a link to /dev/null) is an administrator's "never": setup does not undo it without --force. */
    @Test
    void setupRefusesToReplaceAMaskedUnitWithoutForceAndRemoveLeavesAMaskInPlace() throws Exception {
        assertThat(root("systemctl mask autossh-tunnel-2262.service").exitCode()).isZero();
        Path unit = container.etc().resolve("systemd/system/autossh-tunnel-2262.service");
        assertThat(Files.readSymbolicLink(unit)).isEqualTo(Path.of("/dev/null"));

        CommandResult refused = root(setupAsRoot(2262, ""));
        assertThat(refused.exitCode()).as(refused.stdout()).isEqualTo(1);
        assertThat(refused.stderr().strip().lines()).singleElement().asString()
                .contains("autossh-tunnel-2262.service is masked", "--force");
        assertThat(Files.isSymbolicLink(unit)).as("the mask is still there").isTrue();
        assertThat(Files.readSymbolicLink(unit)).isEqualTo(Path.of("/dev/null"));

        CommandResult forced = root(setupAsRoot(2262, " --force"));
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(root("systemctl is-active autossh-tunnel-2262.service").stdout().strip()).isEqualTo("active");
        assertThat(root("scitex-tunnel remove -p 2262").exitCode()).isZero();
        assertThat(unit).doesNotExist();

        assertThat(root("systemctl mask autossh-tunnel-2263.service").exitCode()).isZero();
        CommandResult removeMask = root("scitex-tunnel remove -p 2263");
        assertThat(removeMask.stderr()).contains("masked", "in place");
        Path mask = container.etc().resolve("systemd/system/autossh-tunnel-2263.service");
        assertThat(Files.isSymbolicLink(mask)).as("remove does not unmask").isTrue();
    }

    /**
     * A native tunnel whose pinned host key is gone can never connect: it exits with EX_CONFIG (78), which the
     * unit's RestartPreventExitStatus= names, and stays failed instead of restarting every 2 s.
     */
    @Test
    void aNativeTunnelThatCanNeverWorkFailsWithStatus78InsteadOfRestarting() throws Exception {
        CommandResult setup = root(setupAsRoot(2264, " --engine native"));
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();

        assertThat(root("rm /etc/scitex-tunnel/2264/known_hosts && systemctl restart autossh-tunnel-2264.service")
                .exitCode()).isZero();
        await().atMost(UP).untilAsserted(() -> assertThat(root("systemctl show -p ActiveState --value"
                + " autossh-tunnel-2264.service").stdout().strip()).isEqualTo("failed"));
        Thread.sleep(5_000); // more than RestartSec: a restart would have happened by now
        String shown = root("systemctl show -p ActiveState,Result,ExecMainStatus,NRestarts autossh-tunnel-2264.service")
                .stdout();
        System.out.println(LOG + "native unit without its pin: " + shown.replace('\n', ' '));
        assertThat(shown).contains("ActiveState=failed", "Result=exit-code", "ExecMainStatus=78", "NRestarts=0");
        assertThat(root("journalctl -u autossh-tunnel-2264.service --no-pager").stdout())
                .contains("known_hosts file /etc/scitex-tunnel/2264/known_hosts does not exist");
        assertThat(root("scitex-tunnel remove -p 2264").exitCode()).isZero();
    }

    /**
     * A JDK 17 update older than 17.0.9 refuses TrimNativeHeapInterval: the launcher leaves it out and starts.
     * The JVM is told to exit when out of memory, so that systemd restarts it.
     */
    @Test
    void theServiceStartsOnAJvmThatRefusesOneOfTheLaunchersFlags() throws Exception {
        CommandResult setup = root(setupAsRoot(2265, " --engine native"));
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        String java = root("readlink -f \"$(command -v java)\"").stdout().strip();
        Path oldJava = container.etc().resolve("old-jdk/bin/java");
        Files.createDirectories(oldJava.getParent());
        Files.writeString(oldJava, """
                #!/bin/sh
                # As a JDK 17 update before 17.0.9 answers a flag it does not know.
                for arg; do
                  case "$arg" in
                    -XX:TrimNativeHeapInterval=*)
                      echo "Unrecognized VM option '${arg#-XX:}'" >&2
                      echo "Error: Could not create the Java Virtual Machine." >&2
                      exit 1 ;;
                  esac
                done
                exec %s "$@"
                """.formatted(java));
        Path dropIn = container.etc().resolve("systemd/system/autossh-tunnel-2265.service.d/old-jdk.conf");
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "[Service]\nEnvironment=SCITEX_TUNNEL_JAVA=/etc/old-jdk/bin/java\n");
        assertThat(root("chmod 755 /etc/old-jdk/bin/java && systemctl daemon-reload"
                + " && systemctl restart autossh-tunnel-2265.service").exitCode()).isZero();

        container.awaitSshThroughTunnel(2265, UP);
        assertThat(root("systemctl show -p NRestarts --value autossh-tunnel-2265.service").stdout().strip())
                .isEqualTo("0");
        String cmdline = root("tr '\\0' ' ' < /proc/$(systemctl show -p MainPID --value autossh-tunnel-2265.service)"
                + "/cmdline").stdout();
        assertThat(cmdline).contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("TrimNativeHeapInterval");
        assertThat(root("journalctl -u autossh-tunnel-2265.service --no-pager").stdout())
                .contains("-XX:TrimNativeHeapInterval=5000");
        root("rm -rf /etc/systemd/system/autossh-tunnel-2265.service.d /etc/old-jdk");
        assertThat(root("scitex-tunnel remove -p 2265").exitCode()).isZero();
    }

    /**
     * Without systemd's runtime directory or XDG_RUNTIME_DIR, run keeps its state in the temporary directory:
     * a directory of that name that another user made first must not receive it.
     */
    @Test
    void runDoesNotKeepItsStateInADirectoryAnotherUserMadeInTmp() throws Exception {
        assertThat(root("id mallory >/dev/null 2>&1 || useradd -m mallory").exitCode()).isZero();
        assertThat(container.shAs("mallory", "mkdir -m 777 /tmp/scitex-tunnel-alice").exitCode()).isZero();
        CommandResult pinned = container.shAs("alice", "printf 'bastion.example.com %s\\n'"
                + " \"$(cut -d' ' -f1-2 /srv/bastion/hostkey.pub)\" > ~/bastion_known_hosts");
        assertThat(pinned.exitCode()).as(pinned.stderr()).isZero();

        CommandResult started = root("systemd-run --unit=alice-run -p User=alice -E SCITEX_TUNNEL_NO_BUILD=1"
                + " /opt/bin/scitex-tunnel run -p 2266 -b user@bastion.example.com -s /home/alice/.ssh/id_ed25519"
                + " --known-hosts /home/alice/bastion_known_hosts");
        assertThat(started.exitCode()).as(started.stderr()).isZero();
        container.awaitSshThroughTunnel(2266, UP);

        assertThat(root("ls -A /tmp/scitex-tunnel-alice").stdout()).as("mallory's directory").isBlank();
        String journal = root("journalctl -u alice-run --no-pager").stdout();
        Matcher kept = Pattern.compile("keeping the state in (/tmp/scitex-tunnel-alice-\\S+) instead").matcher(journal);
        assertThat(kept.find()).as(journal).isTrue();
        assertThat(root("stat -c '%U %a' " + kept.group(1)).stdout().strip()).isEqualTo("alice 700");
        assertThat(JSON.readTree(root("cat " + kept.group(1) + "/2266.json").stdout()).get("state").asText())
                .isEqualTo("up");
        root("systemctl stop alice-run; rm -rf /tmp/scitex-tunnel-alice*");
    }

    private static String setupAsRoot(int port, String options) {
        return "scitex-tunnel setup -p " + port + " -b user@bastion.example.com -s ~/.ssh/id_rsa" + options;
    }

    /** The last line of systemd-analyze security for {@code unit}: its overall exposure. */
    private String exposureLine(String unit) throws IOException {
        return root("systemd-analyze security --no-pager " + unit + " | tail -1").stdout().strip();
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }
}
