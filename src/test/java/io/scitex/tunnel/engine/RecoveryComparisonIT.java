package io.scitex.tunnel.engine;

import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SilenceableLink;
import io.scitex.tunnel.unit.AutosshCommandLine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native engine and autossh (exactly as {@link AutosshCommandLine} runs it) side by side, one after the
 * other, on the same OpenSSH bastion and the same settings (keepalive 1 s x 3): how long each takes to
 * come back after the bastion restarts and after the link goes silent. Both are measured the same way, by
 * connecting to the bastion's port until the target answers, and must come back within bounds; the numbers
 * are printed. Throughput, and recovery of the units as setup writes them, are measured by {@code bench/run}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RecoveryComparisonIT {
    private static final Keepalive KEEPALIVE = new Keepalive(1, 3);
    /** A quick sshd restart, and a reboot's worth of downtime (autossh backs off between quick failures). */
    private static final List<Duration> DOWNTIMES = List.of(Duration.ofSeconds(2), Duration.ofSeconds(30));
    private static final Duration SILENCE = Duration.ofSeconds(8);
    private static final Duration UP = Duration.ofSeconds(20);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(25);

    @TempDir
    static Path dir;
    private Path autossh;
    private OpenSshBastion bastion;
    private BannerServer target;
    private final Map<String, Map<Engine, Long>> results = new LinkedHashMap<>();

    enum Engine { NATIVE, AUTOSSH }

    /** A running tunnel of either engine. */
    private interface Running extends AutoCloseable {
        @Override
        void close();
    }

    @BeforeAll
    void start() throws Exception {
        autossh = Prerequisites.program("autossh", "install autossh");
        Prerequisites.program("ssh", "install openssh-client");
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ss", "install iproute2");
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        target = BannerServer.start();
    }

    @AfterAll
    void report() throws IOException {
        StringBuilder table = new StringBuilder(String.format("%n[RecoveryComparisonIT] same OpenSSH bastion, keepalive"
                + " %d s x %d, measured by connecting through the bastion's port:%n  %-52s %10s %10s%n",
                KEEPALIVE.intervalSeconds(), KEEPALIVE.maxMissed(), "", "native", "autossh"));
        results.forEach((what, byEngine) -> table.append(String.format("  %-52s %10s %10s%n", what,
                format(byEngine.get(Engine.NATIVE), what), format(byEngine.get(Engine.AUTOSSH), what))));
        System.out.println(table);
        if (target != null) {
            target.close();
        }
        if (bastion != null) {
            bastion.close();
        }
    }

    @Test
    void recoveryAfterABastionRestart() throws Exception {
        for (Duration downtime : DOWNTIMES) {
            for (Engine engine : Engine.values()) {
                recoveryAfterABastionRestart(engine, downtime);
            }
        }
    }

    private void recoveryAfterABastionRestart(Engine engine, Duration downtime) throws Exception {
        int port = Loopback.freePort();
        Running tunnel = start(engine, port, bastion.port(), bastion.knownHosts());
        try {
            awaitPath(port, UP);
            bastion.stop();
            Thread.sleep(downtime.toMillis()); // the outage: the scenario, not a wait for a condition
            long back = System.nanoTime();
            bastion.start();
            long recovered = awaitPath(port, RECOVERY_BOUND) - back;
            record("bastion restart (" + downtime.toSeconds() + " s down): up after sshd is back [ms]", engine,
                    recovered / 1_000_000);
        } finally {
            tunnel.close();
        }
    }

    @Test
    void recoveryAfterTheLinkWentSilent() throws Exception {
        for (Engine engine : Engine.values()) {
            int port = Loopback.freePort();
            try (SilenceableLink link = SilenceableLink.to(bastion.port())) {
                Running tunnel = start(engine, port, link.port(), knownHostsFor(link.port()));
                awaitPath(port, UP);
                long silenced = System.nanoTime();
                link.silence();
                Thread.sleep(SILENCE.toMillis()); // the outage: the scenario, not a wait for a condition
                long restored = System.nanoTime();
                link.restore();
                long recovered = awaitPath(port, RECOVERY_BOUND) - restored;
                record("silent link (" + SILENCE.toSeconds() + " s, no FIN/RST): up after the link is back [ms]",
                        engine, recovered / 1_000_000);
                record("silent link: up after the link went silent [ms]", engine, (restored - silenced + recovered)
                        / 1_000_000);
                tunnel.close();
            }
        }
    }

    private Running start(Engine engine, int port, int sshPort, Path knownHosts) throws IOException {
        TunnelSpec spec = TunnelSpec.builder().port(port)
                .bastion(BastionAddress.parse(System.getProperty("user.name") + "@127.0.0.1:" + sshPort))
                .target(new TargetAddress("127.0.0.1", target.port())).key(bastion.clientKey())
                .serviceUser(System.getProperty("user.name")).keepalive(KEEPALIVE).build();
        if (engine == Engine.NATIVE) {
            NativeTunnel tunnel = NativeTunnel.start(spec, TunnelOptions.of(knownHosts), TunnelListener.NONE);
            return tunnel::close;
        }
        OwnedProcess process = OwnedProcess.start("autossh", AutosshCommandLine.argv(autossh, spec, knownHosts),
                serviceEnvironment(), dir.resolve("logs"));
        return process::close;
    }

    /** Polls until a connection to the bastion's port gets the target's answer; returns when ({@code nanoTime}). */
    private static long awaitPath(int port, Duration bound) {
        await("127.0.0.1:" + port + " reaches the target").atMost(bound).pollInterval(Duration.ofMillis(50))
                .until(() -> answers(port));
        return System.nanoTime();
    }

    /** One attempt with short timeouts: a stale forward (the bastion's old session) must not stall the clock. */
    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            byte[] expected = BannerServer.BANNER.getBytes(StandardCharsets.US_ASCII);
            return Arrays.equals(in.readNBytes(expected.length), expected);
        } catch (IOException notYet) {
            return false;
        }
    }

    private Path knownHostsFor(int sshPort) throws IOException {
        Path file = dir.resolve("known_hosts_" + sshPort);
        Files.writeString(file, bastion.hostKey().knownHostsLine("[127.0.0.1]:" + sshPort) + "\n");
        return file;
    }

    private void record(String what, Engine engine, long value) {
        results.computeIfAbsent(what, w -> new LinkedHashMap<>()).put(engine, value);
        System.out.printf("[RecoveryComparisonIT] %s: %s %d%n", engine, what, value);
    }

    private static String format(Long value, String what) {
        return value == null ? "-" : String.format("%,d", value);
    }

    /** As under systemd: a minimal environment plus {@link AutosshCommandLine#ENVIRONMENT}. */
    private static Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("USER", System.getProperty("user.name"));
        for (String assignment : AutosshCommandLine.ENVIRONMENT) {
            int eq = assignment.indexOf('=');
            environment.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        return environment;
    }
}
