package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs exactly the argv {@link AutosshCommandLine#argv} builds, with exactly {@link AutosshCommandLine#ENVIRONMENT},
 * against a real OpenSSH sshd on 127.0.0.1, with real autossh and ssh, and checks what a tunnel must do:
 * reach its target, listen on the bastion's loopback only, refuse to share a port, come back after the
 * session or the whole bastion went away, verify the bastion's host key strictly, and take any key path.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AutosshCommandLineIT {
    /** How long a tunnel may take to come up from scratch. */
    private static final Duration UP = Duration.ofSeconds(20);
    /** How long a tunnel may take to come back after its session was killed at the bastion. */
    private static final Duration SESSION_RECOVERY = Duration.ofSeconds(15);
    /** How long a tunnel may take to come back after the bastion restarted. */
    private static final Duration RESTART_RECOVERY = Duration.ofSeconds(20);
    private static final String HOST_KEY_FAILURE = "Host key verification failed.";
    private static final String USER = System.getProperty("user.name");

    private static Path autossh;
    private static Path ssh;

    @TempDir
    Path dir;
    private OpenSshBastion bastion;
    private BannerServer target;
    private final List<OwnedProcess> processes = new ArrayList<>();

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ssh-keygen", "install openssh-client");
        Prerequisites.program("ss", "install iproute2");
        ssh = Prerequisites.program("ssh", "install openssh-client");
        autossh = Prerequisites.program("autossh", "install autossh");
    }

    @BeforeEach
    void startBastionAndTarget() throws Exception {
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        target = BannerServer.start();
    }

    @AfterEach
    void stopEverything() throws IOException {
        List<OwnedProcess> lastStartedFirst = new ArrayList<>(processes);
        Collections.reverse(lastStartedFirst);
        List<ProcessHandle> started = OwnedProcess.closeAll(lastStartedFirst);
        if (bastion != null) {
            bastion.close();
        }
        if (target != null) {
            target.close();
        }
        assertThat(OwnedProcess.stillRunning(started))
                .as("processes this test started and still running after cleanup").isEmpty();
    }

    /** (a) A connection to the bastion-side port reaches the target, both ways. */
    @Test
    void forwardReachesTheTarget() throws Exception {
        int tunnelPort = Loopback.freePort();
        OwnedProcess tunnel = startAutossh(spec(tunnelPort, bastion.clientKey()), bastion.knownHosts());

        Duration up = awaitForward(tunnelPort, tunnel, UP);
        System.out.printf("[AutosshCommandLineIT] forward up %d ms after autossh started%n", up.toMillis());

        int before = target.accepted();
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        assertThat(target.accepted()).as("connections that reached the target through the forward")
                .isEqualTo(before + 1);
        assertThat(bastion.logText()).contains("Accepted publickey for " + USER + " from 127.0.0.1");
    }

    /** (b) The bastion listens for the forward on its loopback only, in the session the tunnel opened. */
    @Test
    void bastionSideListenerIsOnLoopbackOnly() throws Exception {
        int tunnelPort = Loopback.freePort();
        OwnedProcess tunnel = startAutossh(spec(tunnelPort, bastion.clientKey()), bastion.knownHosts());
        awaitForward(tunnelPort, tunnel, UP);

        List<String> listeners = Loopback.listeners(tunnelPort);
        assertThat(listeners).as("ss -ltnH 'sport = :%d'", tunnelPort).isNotEmpty()
                .allSatisfy(line -> assertThat(Loopback.localAddress(line)).as("listener: %s", line)
                        .isIn("127.0.0.1:" + tunnelPort, "[::1]:" + tunnelPort));
        List<Long> owners = Loopback.listenerPids(tunnelPort);
        assertThat(owners).as("owners of the listener").hasSize(1);
        assertThat(bastion.isSession(owners.get(0))).as("listener %s is a session of the bastion's sshd", owners)
                .isTrue();
    }

    /** (c) Another tunnel for a port already forwarded fails cleanly, and the first one is undisturbed. */
    @Test
    void secondTunnelForATakenPortFailsCleanlyAndTheFirstKeepsWorking() throws Exception {
        int tunnelPort = Loopback.freePort();
        TunnelSpec spec = spec(tunnelPort, bastion.clientKey());
        OwnedProcess first = startAutossh(spec, bastion.knownHosts());
        awaitForward(tunnelPort, first, UP);
        List<Long> owners = Loopback.listenerPids(tunnelPort);
        String refused = "remote port forwarding failed for listen port " + tunnelPort;

        // ssh exactly as autossh runs it: ExitOnForwardFailure makes it exit, with ssh's error status.
        OwnedProcess second = startSsh(spec, bastion.knownHosts());
        int exit = second.awaitExit(UP);
        assertThat(exit).as("exit status of the second ssh\n%s", diagnostics(second)).isEqualTo(255);
        assertThat(second.stderr()).as(diagnostics(second)).contains(refused);

        // A second autossh for the port retries (the port may free up), and never takes it over.
        OwnedProcess secondService = startAutossh(spec, bastion.knownHosts());
        awaitCondition("the second autossh retried twice", UP, () -> count(secondService.stderr(), refused) >= 2,
                secondService);
        assertThat(secondService.isAlive()).as(diagnostics(secondService)).isTrue();

        assertThat(first.isAlive()).as(diagnostics(first)).isTrue();
        assertThat(BannerServer.probe(tunnelPort)).as("the first tunnel still reaches the target")
                .isEqualTo(BannerServer.BANNER);
        assertThat(Loopback.listenerPids(tunnelPort)).as("the listener is still the first tunnel's session")
                .isEqualTo(owners);
    }

    /** (d) When the bastion kills the session, autossh starts a new ssh and the forward comes back. */
    @Test
    void sessionKilledAtTheBastionComesBack() throws Exception {
        int tunnelPort = Loopback.freePort();
        OwnedProcess tunnel = startAutossh(spec(tunnelPort, bastion.clientKey()), bastion.knownHosts());
        awaitForward(tunnelPort, tunnel, UP);
        List<Long> sshBefore = tunnel.childPids();
        assertThat(sshBefore).as("autossh's ssh").hasSize(1);

        long killedAt = System.nanoTime();
        long killed = bastion.killSessionForwarding(tunnelPort);
        assertThat(Loopback.listenerPids(tunnelPort)).as("the killed session's listener is gone")
                .doesNotContain(killed);

        awaitForward(tunnelPort, tunnel, SESSION_RECOVERY);
        Duration recovery = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("[AutosshCommandLineIT] recovery after the bastion killed the session: %d ms%n",
                recovery.toMillis());

        assertThat(tunnel.isAlive()).as("autossh itself survived").isTrue();
        assertThat(tunnel.childPids()).as("autossh restarted ssh").hasSize(1).doesNotContainAnyElementsOf(sshBefore);
        List<Long> owners = Loopback.listenerPids(tunnelPort);
        assertThat(owners).as("the forward is held by a new session").hasSize(1).doesNotContain(killed);
        assertThat(bastion.isSession(owners.get(0))).isTrue();
    }

    /** (e) When the whole bastion goes down and comes back on the same port, so does the tunnel. */
    @Test
    void bastionRestartComesBack() throws Exception {
        int tunnelPort = Loopback.freePort();
        OwnedProcess tunnel = startAutossh(spec(tunnelPort, bastion.clientKey()), bastion.knownHosts());
        awaitForward(tunnelPort, tunnel, UP);

        long stoppedAt = System.nanoTime();
        bastion.stop();
        assertThat(Loopback.listeners(tunnelPort)).as("no forward while the bastion is down").isEmpty();
        assertThatThrownBy(() -> BannerServer.probe(tunnelPort)).isInstanceOf(IOException.class);
        Thread.sleep(2000); // the bastion's downtime: the scenario, not a wait for a condition
        assertThat(tunnel.isAlive()).as("autossh keeps trying while the bastion is down\n%s", diagnostics(tunnel))
                .isTrue();

        long startedAt = System.nanoTime();
        bastion.start();
        awaitForward(tunnelPort, tunnel, RESTART_RECOVERY);
        long now = System.nanoTime();
        System.out.printf("[AutosshCommandLineIT] recovery after bastion restart: %d ms after sshd was back"
                        + " (%d ms after it went down, 2000 ms of it down)%n",
                Duration.ofNanos(now - startedAt).toMillis(), Duration.ofNanos(now - stoppedAt).toMillis());
        assertThat(tunnel.isAlive()).isTrue();
    }

    /** (f) A bastion presenting a key other than the pinned one is refused; ssh exits, autossh retries. */
    @Test
    void aDifferentPinnedHostKeyIsRefused() throws Exception {
        Path otherKey = dir.resolve("other_hostkey");
        OpenSshBastion.generateKey(otherKey);
        SshPublicKey other = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(otherKey));
        assertThat(other).isNotEqualTo(bastion.hostKey());
        Path wrongKnownHosts = dir.resolve("wrong_known_hosts");
        Files.writeString(wrongKnownHosts, other.knownHostsLine(bastion.knownHostsName()) + "\n",
                StandardCharsets.UTF_8);

        assertHostKeyRefused(wrongKnownHosts, "Host key for " + bastion.knownHostsName() + " has changed");
    }

    /** (f) A bastion whose key is not pinned at all is refused without a prompt: nothing waits for input. */
    @Test
    void anUnknownHostKeyIsRefusedWithoutAPrompt() throws Exception {
        Path emptyKnownHosts = Files.createFile(dir.resolve("empty_known_hosts"));

        assertHostKeyRefused(emptyKnownHosts, "host key is known for " + bastion.knownHostsName());
    }

    private void assertHostKeyRefused(Path knownHosts, String reason) throws Exception {
        int tunnelPort = Loopback.freePort();
        TunnelSpec spec = spec(tunnelPort, bastion.clientKey());

        // ssh as autossh runs it exits by itself: it neither prompts nor waits for input.
        OwnedProcess once = startSsh(spec, knownHosts);
        int exit = once.awaitExit(UP);
        assertThat(exit).as("exit status of ssh\n%s", diagnostics(once)).isEqualTo(255);
        assertThat(once.stderr()).as(diagnostics(once)).contains(reason).contains(HOST_KEY_FAILURE);

        // Under autossh every ssh fails the same way and exits; autossh keeps retrying; nothing ever listens.
        OwnedProcess tunnel = startAutossh(spec, knownHosts);
        awaitCondition("three ssh attempts failed host key verification", UP, () -> {
            assertThat(Loopback.listeners(tunnelPort)).as("forward on port %d", tunnelPort).isEmpty();
            return count(tunnel.stderr(), HOST_KEY_FAILURE) >= 3;
        }, tunnel);
        assertThat(tunnel.isAlive()).as(diagnostics(tunnel)).isTrue();
        assertThat(Loopback.listeners(tunnelPort)).isEmpty();
        assertThatThrownBy(() -> BannerServer.probe(tunnelPort)).isInstanceOf(IOException.class);
        assertThat(bastion.logText()).as("the bastion never let the client in").doesNotContain("Accepted publickey");
    }

    /**
     * (g) Key paths are handed to ssh unchanged, whatever they contain: spaces, quotes, ssh's {@code %}
     * tokens (escaped by {@link AutosshCommandLine} as {@code %%}), {@code $}, {@code ~}, backslashes (also before
     * quotes and at the end, where ssh_config reads escapes), non-ASCII.
     * The key is a fresh one that exists only under that path, so the login proves ssh read that very file.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "k e y's \"q\" %h $HOME ünï.key",
            "100%% %d %u %C ~ back\\slash *?[x] ;&|.key",
            "a\\\\b \\\"c\\\" \\' trailing\\"})
    void aKeyPathWithHostileCharactersWorks(String fileName) throws Exception {
        Prerequisites.require("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "file names are UTF-8 for the JVM (sun.jnu.encoding is " + System.getProperty("sun.jnu.encoding")
                        + "; run with LC_ALL=C.UTF-8)");
        Path keyDir = Files.createDirectories(dir.resolve("keys %d $USER ü"));
        Path generated = keyDir.resolve("fresh");
        OpenSshBastion.generateKey(generated);
        SshPublicKey fresh = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(generated));
        bastion.authorize(OpenSshBastion.publicKeyFile(generated));
        Path key = keyDir.resolve(fileName);
        Files.move(generated, key);
        Files.delete(OpenSshBastion.publicKeyFile(generated));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThat(key.getFileName().toString()).isEqualTo(fileName);

        int tunnelPort = Loopback.freePort();
        OwnedProcess tunnel = startAutossh(spec(tunnelPort, key), bastion.knownHosts());
        awaitForward(tunnelPort, tunnel, UP);

        assertThat(bastion.logText()).as("the bastion accepted the fresh key, which only %s holds", key)
                .contains("Accepted publickey for " + USER + " from 127.0.0.1")
                .contains(fresh.fingerprint());
        assertThat(tunnel.stderr()).as("ssh found the identity file").doesNotContain("not accessible");
    }

    private TunnelSpec spec(int tunnelPort, Path key) {
        return TunnelSpec.builder()
                .port(tunnelPort)
                .bastion(BastionAddress.parse(USER + "@127.0.0.1:" + bastion.port()))
                .target(new TargetAddress("127.0.0.1", target.port()))
                .key(key)
                .serviceUser(USER)
                .build();
    }

    private OwnedProcess startAutossh(TunnelSpec spec, Path knownHosts) throws IOException {
        return own(OwnedProcess.start("autossh", AutosshCommandLine.argv(autossh, spec, knownHosts),
                serviceEnvironment(), dir.resolve("logs")));
    }

    /** Starts the ssh that autossh would start for this tunnel. */
    private OwnedProcess startSsh(TunnelSpec spec, Path knownHosts) throws IOException {
        List<String> autosshArgv = AutosshCommandLine.argv(autossh, spec, knownHosts);
        assertThat(autosshArgv.subList(1, 3)).as("autossh's own options").containsExactly("-M", "0");
        List<String> argv = new ArrayList<>(List.of(ssh.toString()));
        argv.addAll(autosshArgv.subList(3, autosshArgv.size()));
        return own(OwnedProcess.start("ssh", argv, serviceEnvironment(), dir.resolve("logs")));
    }

    private OwnedProcess own(OwnedProcess process) {
        processes.add(process);
        return process;
    }

    /** As under systemd: a minimal environment plus {@link AutosshCommandLine#ENVIRONMENT}, unchanged. */
    private static Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("USER", USER);
        environment.put("LOGNAME", USER);
        for (String assignment : AutosshCommandLine.ENVIRONMENT) {
            int eq = assignment.indexOf('=');
            environment.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        return environment;
    }

    /**
     * Waits until a connection to 127.0.0.1:{@code tunnelPort} (the bastion-side listener) gets the target's
     * banner and echo; fails at once if the tunnel process exits. Returns how long it took.
     */
    private Duration awaitForward(int tunnelPort, OwnedProcess tunnel, Duration bound) {
        long start = System.nanoTime();
        awaitCondition("127.0.0.1:" + tunnelPort + " reaches the target", bound, () -> {
            try {
                return BannerServer.BANNER.equals(BannerServer.probe(tunnelPort));
            } catch (IOException notYet) {
                return false;
            }
        }, tunnel);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Polls {@code condition} for at most {@code bound}; fails with diagnostics, at once if the process exits. */
    private void awaitCondition(String what, Duration bound, java.util.concurrent.Callable<Boolean> condition,
                                OwnedProcess process) {
        try {
            await(what).atMost(bound).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError(what + ": " + process + " exited\n" + diagnostics(process));
                }
                return condition.call();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(process), e);
        }
    }

    private String diagnostics(OwnedProcess... involved) {
        return Stream.concat(Arrays.stream(involved).map(OwnedProcess::describe), Stream.of(bastion.diagnostics()))
                .collect(Collectors.joining("\n"));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
