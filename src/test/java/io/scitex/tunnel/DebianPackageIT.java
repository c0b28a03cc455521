package io.scitex.tunnel;

import static io.scitex.tunnel.testing.AnsibleExample.recap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.testing.AnsibleExample;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Debian package, installed with real dpkg in a real systemd (a container with a writable /usr and its own
 * dpkg database) with every JDK of the machine hidden: the tool, its manual and its completion work; the seed's
 * commands through /usr/bin/scitex-tunnel give working tunnels on both engines against a real OpenSSH bastion;
 * an upgrade keeps both working; remove and purge do what the README says; lintian finds no errors; the Ansible
 * example installs the package on the purged machine and runs its tunnels on it. The steps
 * build on each other, in order, in one container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {
    private static final Duration TUNNEL_UP = Duration.ofSeconds(40);
    private static final String LOG = "[DebianPackageIT] ";
    private static final int AUTOSSH = 2270;
    private static final int NATIVE = 2271;
    private static final int ANSIBLE_AUTOSSH = 2272;
    private static final int ANSIBLE_NATIVE = 2273;
    private static final String TOOL = "/usr/bin/scitex-tunnel";
    private static final Path PROJECT = SystemdContainer.projectDirectory();
    private Path deb;
    private Path upgrade;
    private SystemdContainer container;

    @BeforeAll
    void buildThePackagesAndBootAMachineWithoutJava() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("dpkg-deb", "apt-get install dpkg");
        Prerequisites.requireProgram("dpkg-shlibdeps", "apt-get install dpkg-dev");
        Prerequisites.requireProgram("lintian", "apt-get install lintian");
        Prerequisites.requireProgram("man", "apt-get install man-db");
        Prerequisites.requireProgram("jlink", "apt-get install openjdk-17-jdk-headless");
        Prerequisites.requireProgram("strip", "apt-get install binutils");
        deb = builtPackage();
        upgrade = rebuiltWithHigherVersion(deb);
        container = SystemdContainer.bootE2eWorldForPackages("scitex-package");
        // No Java on this machine, and none of the checkout's tool: only what the package brings.
        CommandResult hidden = root("mount -t tmpfs tmpfs /usr/lib/jvm && rm /opt/bin/scitex-tunnel"
                + " && ! java -version 2>/dev/null && ! command -v scitex-tunnel");
        assertThat(hidden.exitCode()).as(hidden.stdout() + hidden.stderr()).isZero();
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void installsWithDpkgAndRunsWithItsOwnRuntimeWithManualAndCompletion() throws Exception {
        CommandResult install = root("dpkg -i " + deb);
        assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();

        assertThat(root("scitex-tunnel --version").stdout().strip()).isEqualTo("scitex-tunnel " + Version.current());
        assertThat(root("command -v scitex-tunnel").stdout().strip()).isEqualTo(TOOL);
        CommandResult man = root("MANWIDTH=80 man -P cat scitex-tunnel 2>&1");
        assertThat(man.exitCode()).as(man.stdout()).isZero();
        assertThat(man.stdout()).contains("scitex-tunnel - ", "SYNOPSIS", "scitex-tunnel-setup(1)");
        assertThat(root("MANWIDTH=80 man -P cat scitex-tunnel-setup").stdout()).contains("--engine=ENGINE",
                "--passphrase-file=FILE");
        // bash-completion's own loader finds the script where the package put it; st<TAB> completes to status.
        CommandResult completion = root("source /usr/share/bash-completion/bash_completion"
                + " && __load_completion scitex-tunnel && COMP_WORDS=(scitex-tunnel st) COMP_CWORD=1"
                + " COMP_LINE='scitex-tunnel st' COMP_POINT=16"
                + " && $(complete -p scitex-tunnel | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p') scitex-tunnel st scitex-tunnel"
                + " && echo \"${COMPREPLY[*]}\"");
        assertThat(completion.stdout().strip()).as(completion.stderr()).isEqualTo("status");
        assertThat(root("head -1 /usr/share/zsh/vendor-completions/_scitex-tunnel").stdout().strip())
                .isEqualTo("#compdef scitex-tunnel");
        assertThat(root("stat -c '%U %a' /usr/bin/scitex-tunnel /usr/lib/scitex-tunnel/scitex-tunnel.jar"
                + " /usr/lib/scitex-tunnel/runtime/bin/java").stdout()).isEqualTo("root 755\nroot 644\nroot 755\n");
        // The demo runs an embedded bastion and the native engine on the bundled runtime: its crypto is all there.
        CommandResult demo = root("scitex-tunnel demo");
        assertThat(demo.exitCode()).as(demo.stdout() + demo.stderr()).isZero();
        CommandResult status = root("time -p scitex-tunnel status --no-probe");
        System.out.println(LOG + "status --no-probe, installed: " + status.stderr().strip().replace('\n', ' '));
    }

    @Test
    @Order(2)
    void theSeedsCommandsGiveWorkingTunnelsOnBothEngines() throws Exception {
        CommandResult autossh = root("scitex-tunnel setup -p " + AUTOSSH + " -b user@bastion.example.com -s ~/.ssh/id_rsa");
        assertThat(autossh.exitCode()).as(autossh.stdout() + autossh.stderr()).isZero();
        CommandResult nativeSetup = root("scitex-tunnel setup -p " + NATIVE + " -b user@bastion.example.com"
                + " -s ~/.ssh/id_rsa --engine native");
        assertThat(nativeSetup.exitCode()).as(nativeSetup.stdout() + nativeSetup.stderr()).isZero();

        assertThat(unit(NATIVE)).contains("ExecStart=" + TOOL + " run -p " + NATIVE + " -b user@bastion.example.com",
                "Environment=SCITEX_TUNNEL_JAVA=/usr/lib/scitex-tunnel/runtime/bin/java\n")
                .doesNotContain("BindReadOnlyPaths=\"/usr");
        assertThat(unit(AUTOSSH)).contains("ExecStart=/usr/bin/autossh ");
        awaitSshThroughTunnel(AUTOSSH);
        awaitSshThroughTunnel(NATIVE);
        CommandResult status = root("scitex-tunnel status");
        assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isZero();
        assertThat(status.stdout()).containsPattern(AUTOSSH + " +user@bastion\\.example\\.com +localhost:22 +active")
                .containsPattern(NATIVE + " +user@bastion\\.example\\.com +localhost:22 +active");
    }

    /** A higher version over the running one: autossh's tunnel is not touched, the native one restarts into it. */
    @Test
    @Order(3)
    void anUpgradeKeepsBothTunnelsAndRestartsTheNativeOneIntoTheNewVersion() throws Exception {
        String autosshPid = mainPid(AUTOSSH);
        String nativePid = mainPid(NATIVE);
        // Probes the native tunnel every 100 ms during the upgrade; each line: seconds since the epoch, ok|down.
        assertThat(root("nohup bash -c 'while :; do if " + sshThroughTunnel(NATIVE) + " >/dev/null 2>&1; then r=ok;"
                + " else r=down; fi; echo \"$(date +%s.%N) $r\"; sleep 0.1; done' > /root/probe.log 2>&1 &"
                + " echo $! > /root/probe.pid").exitCode()).isZero();
        try {
            Thread.sleep(1500);
            CommandResult install = root("dpkg -i " + upgrade);
            assertThat(install.exitCode()).as(install.stdout() + install.stderr()).isZero();
            awaitSshThroughTunnel(NATIVE);
            Thread.sleep(1500);
        } finally {
            root("kill $(cat /root/probe.pid)");
        }
        List<String> probes = root("cat /root/probe.log").stdout().lines().toList();
        double gap = longestGapBetweenSuccesses(probes);
        System.out.printf(LOG + "upgrade: the native tunnel was out for %.2f s at most (%d probes, %d down)%n", gap,
                probes.size(), probes.stream().filter(p -> p.endsWith("down")).count());
        assertThat(probes).as("probes before and after the upgrade").anyMatch(p -> p.endsWith("ok"));

        assertThat(root("dpkg-query -W -f '${Version}' scitex-tunnel").stdout()).isEqualTo(upgradeVersion());
        assertThat(mainPid(AUTOSSH)).as("autossh's tunnel is not restarted").isEqualTo(autosshPid);
        assertThat(mainPid(NATIVE)).as("the native tunnel restarted").isNotEqualTo(nativePid);
        assertThat(root("ls -l /proc/" + mainPid(NATIVE) + "/fd | grep scitex-tunnel.jar").stdout())
                .as("the new process runs the installed jar, not the replaced one").doesNotContain("(deleted)")
                .contains("/usr/lib/scitex-tunnel/scitex-tunnel.jar");
        awaitSshThroughTunnel(AUTOSSH);
    }

    /** README: remove stops the native tunnels (they run the package) and keeps their units; autossh's keep running. */
    @Test
    @Order(4)
    void removeStopsOnlyTheNativeTunnelAndReinstallingStartsItAgain() throws Exception {
        CommandResult remove = root("dpkg -r scitex-tunnel");
        assertThat(remove.exitCode()).as(remove.stdout() + remove.stderr()).isZero();

        assertThat(root("test -e " + TOOL).exitCode()).isNotZero();
        assertThat(root("systemctl is-active autossh-tunnel-" + NATIVE + ".service").stdout().strip()).isEqualTo("inactive");
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-" + NATIVE + ".service")).exists();
        assertThat(container.etc().resolve("scitex-tunnel/" + NATIVE + "/known_hosts")).exists();
        awaitSshThroughTunnel(AUTOSSH);

        CommandResult reinstall = root("dpkg -i " + upgrade);
        assertThat(reinstall.exitCode()).as(reinstall.stdout() + reinstall.stderr()).isZero();
        awaitSshThroughTunnel(NATIVE);
    }

    /** README: purge removes every tunnel the tool wrote, of both engines, with its pinned keys. */
    @Test
    @Order(5)
    void purgeRemovesEveryTunnelAndItsFiles() throws Exception {
        CommandResult purge = root("dpkg -P scitex-tunnel");
        assertThat(purge.exitCode()).as(purge.stdout() + purge.stderr()).isZero();

        for (int port : new int[] {AUTOSSH, NATIVE}) {
            String unit = "autossh-tunnel-" + port + ".service";
            assertThat(container.etc().resolve("systemd/system/" + unit)).doesNotExist();
            assertThat(container.etc().resolve("systemd/system/multi-user.target.wants/" + unit)).doesNotExist();
            assertThat(root("systemctl show -p LoadState --value " + unit).stdout().strip()).isEqualTo("not-found");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(root("ss -ltnH 'sport = :" + port + "'").stdout()).as("bastion still listens").isBlank());
        }
        assertThat(container.etc().resolve("scitex-tunnel")).doesNotExist();
        assertThat(root("ls /usr/lib/scitex-tunnel 2>&1; dpkg-query -W scitex-tunnel 2>&1").stdout())
                .contains("No such file or directory", "no packages found matching scitex-tunnel");
    }

    @Test
    @Order(6)
    void lintianFindsNoErrors() throws Exception {
        CommandResult lintian = new CommandRunner(Duration.ofMinutes(5)).run(List.of("lintian", "--no-tag-display-limit",
                deb.toString()));
        System.out.println(LOG + "lintian: " + (lintian.stdout().isBlank() ? "no tags" : lintian.stdout().strip()));
        assertThat(lintian.stdout()).doesNotContainPattern("(?m)^E: ");
        assertThat(lintian.exitCode()).as(lintian.stdout() + lintian.stderr()).isZero();
    }

    /**
     * The Ansible example on a machine without the tool (purged above): the role installs the .deb with Ansible's
     * apt module, writes the tunnels file and applies it with the installed /usr/bin/scitex-tunnel (the role's
     * default); the tunnels work end to end, the native one on the package's own runtime and jar; a second run
     * changes nothing; check mode, before the install and with a changed inventory after it, reports the change
     * and makes none.
     */
    @Test
    @Order(7)
    void theAnsibleRoleInstallsThePackageAndItsTunnelsRunOnIt() throws Exception {
        Prerequisites.requireProgram("ansible-playbook", "apt-get install ansible-core");
        CommandResult purged = root("if dpkg-query -W scitex-tunnel >/dev/null 2>&1; then dpkg -P scitex-tunnel; fi;"
                + " ! dpkg-query -W scitex-tunnel 2>/dev/null && ! test -e " + TOOL);
        assertThat(purged.exitCode()).as("the tool is not installed: " + purged.stdout() + purged.stderr()).isZero();
        AnsibleExample ansible = new AnsibleExample(container);
        ansible.write(ansibleInventory("localhost:22"));

        // Check mode first, on the machine without the tool: it would install the package and create the directory,
        // and says the tunnels are planned once the package is there; it changes nothing.
        CommandResult fresh = ansible.playbook("--check");
        System.out.println(LOG + "ansible-playbook --check, the tool not installed:\n" + fresh.stdout());
        assertThat(recap(fresh)).as(fresh.stdout()).containsEntry("failed", 0)
                .as("package and directory would change").containsEntry("changed", 2);
        assertThat(fresh.stdout()).contains("would be installed from " + deb + " first; its tunnels are planned once it is");
        assertThat(root("dpkg-query -W scitex-tunnel 2>&1; ls /etc/scitex-tunnel 2>&1; ls /etc/systemd/system"
                + " | grep -c autossh-tunnel-").stdout()).as("check mode changes nothing")
                .contains("no packages found matching scitex-tunnel", "No such file or directory").endsWith("0\n");

        CommandResult first = ansible.playbook("");
        System.out.println(LOG + "ansible-playbook, first run:\n" + first.stdout());
        assertThat(recap(first)).as(first.stdout()).containsEntry("failed", 0)
                .as("package, directory, file and tunnels: changed").containsEntry("changed", 4);
        assertThat(first.stdout()).as("the install task ran and changed the machine").containsPattern(
                "(?s)TASK \\[scitex_tunnel : scitex-tunnel is installed][^\\n]*\\n(?:(?!TASK).)*?changed: \\[localhost]");
        assertThat(root("dpkg-query -W -f '${Status} ${Version}' scitex-tunnel").stdout())
                .isEqualTo("install ok installed " + Version.current());
        container.awaitSshThroughTunnel(ANSIBLE_AUTOSSH, TUNNEL_UP);
        container.awaitSshThroughTunnel(ANSIBLE_NATIVE, TUNNEL_UP);
        assertThat(unit(ANSIBLE_NATIVE)).contains("ExecStart=" + TOOL + " run -p " + ANSIBLE_NATIVE,
                "Environment=SCITEX_TUNNEL_JAVA=/usr/lib/scitex-tunnel/runtime/bin/java\n");
        String nativePid = mainPid(ANSIBLE_NATIVE);
        assertThat(root("readlink /proc/" + nativePid + "/exe").stdout().strip()).as("the package's own runtime")
                .isEqualTo("/usr/lib/scitex-tunnel/runtime/bin/java");
        assertThat(root("ls -l /proc/" + nativePid + "/fd | grep scitex-tunnel.jar").stdout())
                .contains("/usr/lib/scitex-tunnel/scitex-tunnel.jar").doesNotContain("(deleted)");
        assertThat(root("ps -o user= -p " + nativePid).stdout().strip()).isEqualTo("alice");
        String written = root("cat /etc/scitex-tunnel/tunnels.toml").stdout();
        Map<Integer, String> pids = Map.of(ANSIBLE_AUTOSSH, mainPid(ANSIBLE_AUTOSSH), ANSIBLE_NATIVE, nativePid);

        CommandResult second = ansible.playbook("");
        assertThat(recap(second)).as(second.stdout()).containsEntry("failed", 0).containsEntry("changed", 0);
        assertThat(Map.of(ANSIBLE_AUTOSSH, mainPid(ANSIBLE_AUTOSSH), ANSIBLE_NATIVE, mainPid(ANSIBLE_NATIVE)))
                .isEqualTo(pids);

        ansible.write(ansibleInventory("127.0.0.1:22"));
        CommandResult check = ansible.playbook("--check");
        System.out.println(LOG + "ansible-playbook --check with a changed target:\n" + check.stdout());
        assertThat(recap(check)).as(check.stdout()).containsEntry("failed", 0).containsEntry("changed", 1);
        assertThat(check.stdout()).contains(ANSIBLE_NATIVE + ": replace (planned)");
        assertThat(root("cat /etc/scitex-tunnel/tunnels.toml").stdout()).as("check mode writes nothing")
                .isEqualTo(written);
        assertThat(Map.of(ANSIBLE_AUTOSSH, mainPid(ANSIBLE_AUTOSSH), ANSIBLE_NATIVE, mainPid(ANSIBLE_NATIVE)))
                .as("check mode restarts nothing").isEqualTo(pids);
        assertThat(root("dpkg-query -W -f '${Version}' scitex-tunnel").stdout()).isEqualTo(Version.current());
    }

    /** The role's defaults (the package's /usr/bin/scitex-tunnel), the .deb to install, an autossh and a native tunnel. */
    private AnsibleExample.Inventory ansibleInventory(String nativeTarget) {
        return new AnsibleExample.Inventory(Optional.empty(), Optional.of(deb), ANSIBLE_AUTOSSH,
                List.of(new AnsibleExample.Tunnel(ANSIBLE_NATIVE, nativeTarget, Optional.of("native"))));
    }

    /**
     * The package of this build: made by {@code mvn -Pdist package}, or here (with the same script and JDK) when
     * that did not run or is older than the jar, as in the README's {@code mvn -B verify}.
     */
    private static Path builtPackage() throws IOException {
        Path jar = PROJECT.resolve("target/scitex-tunnel.jar");
        String arch = new CommandRunner().run(List.of("dpkg", "--print-architecture")).stdout().strip();
        Path built = PROJECT.resolve("target/scitex-tunnel_" + Version.current() + "_" + arch + ".deb");
        if (Files.exists(built) && Files.getLastModifiedTime(built).compareTo(Files.getLastModifiedTime(jar)) > 0) {
            return built;
        }
        ProcessBuilder build = new ProcessBuilder(PROJECT.resolve("src/dist/build-packages").toString(), jar.toString(),
                PROJECT.resolve("target").toString(), Version.current()).inheritIO();
        String jdk = System.getenv("SCITEX_TUNNEL_DIST_JDK");
        if (jdk != null && !jdk.isBlank()) {
            build.environment().put("JDK_HOME", jdk);
        }
        try {
            assertThat(build.start().waitFor()).as("src/dist/build-packages").isZero();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the package", interrupted);
        }
        return built;
    }

    private static String upgradeVersion() {
        return Version.current() + "+rebuild1";
    }

    /** The same package rebuilt with a higher version (dpkg --compare-versions says so). */
    private static Path rebuiltWithHigherVersion(Path deb) throws IOException {
        Path dir = Files.createDirectories(PROJECT.resolve("target/package-it"));
        Path upgraded = dir.resolve("scitex-tunnel_" + upgradeVersion() + ".deb");
        CommandResult rebuilt = new CommandRunner(Duration.ofMinutes(5)).run(List.of("bash", "-c", "set -e; cd " + dir
                + "; rm -rf tree; dpkg-deb -R " + deb + " tree; sed -i 's/^Version: .*/Version: " + upgradeVersion()
                + "/' tree/DEBIAN/control; dpkg-deb --root-owner-group -Zxz -z1 --build tree " + upgraded
                + " >/dev/null; rm -rf tree; dpkg --compare-versions " + upgradeVersion() + " gt " + Version.current()));
        assertThat(rebuilt.exitCode()).as(rebuilt.stderr()).isZero();
        return upgraded;
    }

    /** The longest time, in seconds, between two successful probes (or since the start, before the first). */
    static double longestGapBetweenSuccesses(List<String> probes) {
        double longest = 0;
        Double lastOk = null;
        for (String probe : probes) {
            String[] fields = probe.split(" ");
            if (fields.length != 2 || !fields[1].equals("ok")) {
                continue;
            }
            double at = Double.parseDouble(fields[0]);
            if (lastOk != null) {
                longest = Math.max(longest, at - lastOk);
            }
            lastOk = at;
        }
        return longest;
    }

    private String unit(int port) throws IOException {
        return root("cat /etc/systemd/system/autossh-tunnel-" + port + ".service").stdout();
    }

    private String mainPid(int port) throws IOException {
        return root("systemctl show -p MainPID --value autossh-tunnel-" + port + ".service").stdout().strip();
    }

    private CommandResult root(String script) throws IOException {
        return container.run("bash", "-c", "cd /root; " + script);
    }

    /** On the bastion, `ssh -p PORT localhost` lands on this machine's sshd: its host key proves it. */
    private static String sshThroughTunnel(int port) {
        return String.format("ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/root/machine_known_hosts"
                + " -o HostKeyAlgorithms=ssh-ed25519 -o ConnectTimeout=3 -p %1$d localhost echo carried-by-tunnel-%1$d", port);
    }

    private void awaitSshThroughTunnel(int port) throws IOException {
        root("for p in " + AUTOSSH + " " + NATIVE + "; do printf '[localhost]:%s %s\\n' $p \"$(cut -d' ' -f1-2"
                + " /etc/ssh/ssh_host_ed25519_key.pub)\"; done > /root/machine_known_hosts");
        await().atMost(TUNNEL_UP).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            CommandResult session = root(sshThroughTunnel(port));
            assertThat(session.stdout().strip()).as(session.stderr()).isEqualTo("carried-by-tunnel-" + port);
        });
    }
}
