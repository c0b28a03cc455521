package io.scitex.tunnel.engine;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native engine and autossh (exactly as {@link AutosshCommand} runs it) side by side, one after the
 * other, on the same OpenSSH bastion and the same settings (keepalive 1 s x 3): how long each takes to
 * come back after the bastion restarts and after the link goes silent, and what each carries per second.
 * Both are measured the same way, by connecting to the bastion's port until the target answers, and must
 * come back within bounds; the numbers are printed.
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
    private static final long THROUGHPUT_BYTES = 256L << 20;
    /** A JVM runs interpreted code at first: about 0.5 GiB passes before the native engine reaches full speed. */
    private static final long WARM_UP_BYTES = 512L << 20;

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

    @Test
    void throughputOfOneStreamFromTheTarget() throws Exception {
        try (ServerSocket source = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> serveZeros(source), "zero-source");
            server.setDaemon(true);
            server.start();
            for (Engine engine : Engine.values()) {
                int port = Loopback.freePort();
                Running tunnel = start(engine, port, bastion.port(), bastion.knownHosts(), source.getLocalPort());
                try {
                    awaitConnect(port);
                    read(port, WARM_UP_BYTES); // the JIT compiles the native engine's hot paths (AES-GCM) meanwhile
                    long started = System.nanoTime();
                    read(port, THROUGHPUT_BYTES);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    record("one stream, target -> bastion side, warm [MiB/s]", engine,
                            Math.round(THROUGHPUT_BYTES / seconds / (1 << 20)));
                } finally {
                    tunnel.close();
                }
            }
        }
        assertThat(results.get("one stream, target -> bastion side, warm [MiB/s]").values()).allMatch(rate -> rate > 0);
    }

    private Running start(Engine engine, int port, int sshPort, Path knownHosts) throws IOException {
        return start(engine, port, sshPort, knownHosts, target.port());
    }

    private Running start(Engine engine, int port, int sshPort, Path knownHosts, int targetPort) throws IOException {
        TunnelSpec spec = TunnelSpec.builder().port(port)
                .bastion(BastionAddress.parse(System.getProperty("user.name") + "@127.0.0.1:" + sshPort))
                .target(new TargetAddress("127.0.0.1", targetPort)).key(bastion.clientKey())
                .serviceUser(System.getProperty("user.name")).keepalive(KEEPALIVE).build();
        if (engine == Engine.NATIVE) {
            NativeTunnel tunnel = NativeTunnel.start(spec, TunnelOptions.of(knownHosts), TunnelListener.NONE);
            return tunnel::close;
        }
        OwnedProcess process = OwnedProcess.start("autossh", AutosshCommand.argv(autossh, spec, knownHosts),
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

    private static void awaitConnect(int port) {
        await().atMost(UP).pollInterval(Duration.ofMillis(50)).until(() -> Loopback.accepts(port)
                && !Loopback.listeners(port).isEmpty());
    }

    private static void read(int port, long bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(ByteBuffer8.of(bytes));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[128 * 1024];
            long left = bytes;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("the stream ended " + left + " bytes early");
                }
                left -= n;
            }
        }
    }

    /** Sends as many zero bytes as each client asks for (an 8-byte big-endian count). */
    private static void serveZeros(ServerSocket source) {
        while (!source.isClosed()) {
            try {
                Socket socket = source.accept();
                Thread sender = new Thread(() -> {
                    try (socket) {
                        long bytes = ByteBuffer8.read(socket.getInputStream());
                        OutputStream out = socket.getOutputStream();
                        byte[] zeros = new byte[128 * 1024];
                        for (long left = bytes; left > 0; left -= zeros.length) {
                            out.write(zeros, 0, (int) Math.min(zeros.length, left));
                        }
                        out.flush();
                        socket.getInputStream().read(); // until the client has it all and closes
                    } catch (IOException ignored) {
                        // the client went away
                    }
                });
                sender.setDaemon(true);
                sender.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** An 8-byte big-endian count on the wire. */
    private static final class ByteBuffer8 {
        static byte[] of(long value) {
            return java.nio.ByteBuffer.allocate(8).putLong(value).array();
        }

        static long read(InputStream in) throws IOException {
            byte[] bytes = in.readNBytes(8);
            if (bytes.length < 8) {
                throw new IOException("no count");
            }
            return java.nio.ByteBuffer.wrap(bytes).getLong();
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

    /** As under systemd: a minimal environment plus {@link AutosshCommand#ENVIRONMENT}. */
    private static Map<String, String> serviceEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("USER", System.getProperty("user.name"));
        for (String assignment : AutosshCommand.ENVIRONMENT) {
            int eq = assignment.indexOf('=');
            environment.put(assignment.substring(0, eq), assignment.substring(eq + 1));
        }
        return environment;
    }
}
