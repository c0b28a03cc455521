package io.scitex.tunnel.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real systemd, booted in a throwaway systemd-nspawn container by {@code scripts/systemd-container}.
 * The test owns the container: {@link #boot} starts it and waits for systemd, {@link #close} powers it
 * off and deletes its files. The project directory is visible inside at the same path, read-only.
 */
public final class SystemdContainer implements AutoCloseable {
    /** A shell command removing every tunnel of the container: what a failed test must not leave to the next. */
    public static final String REMOVE_ALL_TUNNELS = "for unit in /etc/systemd/system/autossh-tunnel-*.service; do"
            + " [ -e \"$unit\" ] || continue; port=${unit##*-}; scitex-tunnel remove -p ${port%.service} >/dev/null; done";
    /** This machine's sshd host key, in the container: what a session through a tunnel to localhost:22 presents. */
    public static final String MACHINE_HOST_KEY = "/etc/ssh/ssh_host_ed25519_key.pub";
    private static final CommandRunner RUNNER = new CommandRunner(Duration.ofSeconds(120));
    private final Path script;
    private final Path directory;
    private final Process nspawn;

    private SystemdContainer(Path script, Path directory, Process nspawn) {
        this.script = script;
        this.directory = directory;
        this.nspawn = nspawn;
    }

    /** The checkout under test: Failsafe passes it in; the working directory otherwise. */
    public static Path projectDirectory() {
        String fromBuild = System.getenv("SCITEX_TUNNEL_PROJECT_DIR");
        return Path.of(fromBuild != null ? fromBuild : System.getProperty("user.dir")).toAbsolutePath();
    }

    public static SystemdContainer boot(String name) throws IOException, InterruptedException {
        return boot(name, false);
    }

    /**
     * Boots the container; with {@code packages}, its /usr is writable (an overlay whose upper layer is thrown
     * away) and it has a copy of this machine's dpkg database, so that packages can be installed and removed in it
     * without touching this machine.
     */
    private static SystemdContainer boot(String name, boolean packages) throws IOException, InterruptedException {
        Prerequisites.requireRoot("booting a systemd container");
        Prerequisites.requireProgram("systemd-nspawn", "apt-get install systemd-container");
        Path project = projectDirectory();
        Path script = project.resolve("scripts/systemd-container");
        Path directory = Files.createTempDirectory("scitex-e2e-");
        List<String> argv = new ArrayList<>(List.of(script.toString(), "boot", directory.toString(), name,
                "--bind-ro=" + project));
        if (packages) {
            Path dpkg = directory.resolve("dpkg");
            CommandResult copied = RUNNER.run(List.of("cp", "-a", "/var/lib/dpkg", dpkg.toString()));
            if (!copied.succeeded()) {
                fail("could not copy the dpkg database: " + copied.stderr());
            }
            argv.addAll(List.of("--overlay=/usr::/usr", "--bind=" + dpkg + ":/var/lib/dpkg"));
        }
        Process process = new ProcessBuilder(argv)
                .redirectOutput(directory.resolve("console.log").toFile())
                .redirectErrorStream(true)
                .redirectInput(new File("/dev/null"))
                .start();
        SystemdContainer container = new SystemdContainer(script, directory, process);
        CommandResult ready = container.control("wait");
        if (!ready.succeeded()) {
            String console = container.console();
            container.close();
            fail("the systemd container did not boot: " + ready.stderr() + "\n" + console);
        }
        return container;
    }

    /**
     * A container set up as the end-to-end tests' world (src/test/scripts/e2e-world): a bastion sshd, its
     * host keys known to root, and the unprivileged user alice.
     */
    public static SystemdContainer bootE2eWorld(String name) throws IOException, InterruptedException {
        return bootE2eWorld(name, false);
    }

    /** The end-to-end world in a container that may install packages (see {@link #boot(String, boolean)}). */
    public static SystemdContainer bootE2eWorldForPackages(String name) throws IOException, InterruptedException {
        return bootE2eWorld(name, true);
    }

    private static SystemdContainer bootE2eWorld(String name, boolean packages) throws IOException, InterruptedException {
        SystemdContainer container = boot(name, packages);
        CommandResult world = container.run(projectDirectory().resolve("src/test/scripts/e2e-world").toString(),
                projectDirectory().toString());
        if (!world.succeeded()) {
            container.close();
            fail("the end-to-end world was not set up: " + world.stderr());
        }
        return container;
    }

    /** Runs argv inside the container as root. */
    public CommandResult run(String... argv) throws IOException {
        List<String> command = new ArrayList<>(List.of("run"));
        command.addAll(List.of(argv));
        return control(command.toArray(String[]::new));
    }

    /** Runs a bash script inside the container as root, with scitex-tunnel on PATH (as /opt/bin symlink). */
    public CommandResult sh(String script) throws IOException {
        return run("bash", "-c", "export PATH=/opt/bin:$PATH; cd /root; " + script);
    }

    /** Runs a bash script inside the container as {@code user}, in a login shell in their home. */
    public CommandResult shAs(String user, String script) throws IOException {
        return run("runuser", "-u", user, "--", "bash", "-lc", "export PATH=/opt/bin:$PATH; cd; " + script);
    }

    /**
     * Waits until, on the bastion, {@code ssh -p PORT localhost} lands on the sshd whose public host key is the
     * file {@code hostKey} (in the container): strict host-key checking against that key alone proves which
     * machine the tunnel reached.
     */
    public void awaitSshThroughTunnel(int port, String hostKey, Duration within) {
        String ssh = String.format("printf '[localhost]:%1$d %%s\\n' \"$(cut -d' ' -f1-2 %2$s)\""
                + " > /tmp/machine_known_hosts_%1$d && ssh -o BatchMode=yes -o StrictHostKeyChecking=yes"
                + " -o UserKnownHostsFile=/tmp/machine_known_hosts_%1$d -o HostKeyAlgorithms=ssh-ed25519"
                + " -o ConnectTimeout=3 -p %1$d localhost 'echo carried-by-tunnel-%1$d'", port, hostKey);
        await().atMost(within).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            CommandResult session = sh(ssh);
            assertThat(session.stdout().strip()).as(session.stderr()).isEqualTo("carried-by-tunnel-" + port);
        });
    }

    /** As above, for a tunnel to this machine's own sshd. */
    public void awaitSshThroughTunnel(int port, Duration within) {
        awaitSshThroughTunnel(port, MACHINE_HOST_KEY, within);
    }

    /** Where the container's /etc lives on this side: files written here appear in the container. */
    public Path etc() {
        return directory.resolve("etc");
    }

    public String console() throws IOException {
        Path log = directory.resolve("console.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private CommandResult control(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(script.toString()));
        argv.add(args[0]);
        argv.add(Long.toString(nspawn.pid()));
        argv.addAll(List.of(args).subList(1, args.length));
        return RUNNER.run(argv);
    }

    @Override
    public void close() throws IOException {
        try {
            if (nspawn.isAlive()) {
                control("poweroff");
            }
        } finally {
            if (nspawn.isAlive()) {
                nspawn.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
