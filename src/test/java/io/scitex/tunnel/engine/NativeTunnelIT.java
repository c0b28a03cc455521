package io.scitex.tunnel.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.SilenceableLink;
import io.scitex.tunnel.testing.StateRecorder;
import io.scitex.tunnel.testing.TestBastion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native engine against real bastions — OpenSSH's sshd and the embedded MINA bastion — on 127.0.0.1:
 * data arrives intact, the tunnel survives a restarted bastion, a killed session and a link that goes silent,
 * takes over a port once another client lets go of it, and never trusts a host key that is not pinned.
 * Timings are printed; the bounds asserted follow from the keepalive and backoff settings.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NativeTunnelIT {
    private static final Duration UP = Duration.ofSeconds(15);
    /** A fast keepalive for the tests of a silent link: 1 s x 3. */
    private static final Keepalive FAST = new Keepalive(1, 3);
    private static final String LOG = "[NativeTunnelIT] ";

    @TempDir
    Path dir;
    private TestBastion bastion;
    private BannerServer target;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final StateRecorder states = new StateRecorder();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        if (target != null) {
            target.close();
        }
        if (bastion != null) {
            bastion.close();
        }
    }

    private void startBastion(TestBastion.Kind kind) throws Exception {
        bastion = kind.start(dir.resolve("bastion"));
        target = BannerServer.start();
    }

    /** (a) 16 connections at once carry 2 MiB each way each, unchanged; traffic is counted. */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void manyConcurrentConnectionsCarryDataIntact(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        int tunnelPort = Loopback.freePort();
        NativeTunnel tunnel = start(spec(tunnelPort, bastion.port(), Keepalive.DEFAULT), bastion.port());
        states.awaitUp(0, UP);

        int connections = 16;
        int bytesEach = 2 * 1024 * 1024;
        ExecutorService pool = Executors.newFixedThreadPool(connections * 2);
        long started = System.nanoTime();
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                long seed = i;
                results.add(pool.submit(() -> echoThrough(tunnelPort, bytesEach, seed, pool)));
            }
            for (Future<String> result : results) {
                assertThat(result.get(2, TimeUnit.MINUTES)).as("SHA-256 mismatch report").isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long total = (long) connections * bytesEach;
        System.out.printf(LOG + "%s: %d connections x %d MiB each way, SHA-256 equal: %.1f MiB/s each way (%.2f s)%n",
                bastion, connections, bytesEach >> 20, total / seconds / (1 << 20), seconds);

        TrafficCounts traffic = await("all relayed connections closed").atMost(Duration.ofSeconds(10))
                .until(() -> tunnel.state().traffic(), counts -> counts.activeConnections() == 0);
        assertThat(traffic.bytesToTarget()).as("bytes written to the target").isEqualTo(total);
        int banner = (BannerServer.BANNER + "\r\n").length();
        assertThat(traffic.bytesFromTarget()).as("bytes the target sent back (echo and greetings)")
                .isEqualTo(total + (long) connections * banner);
        assertThat(tunnel.state().reconnects()).isZero();
    }

    /** (a) The bastion listens for the tunnel on its loopback only, in the tunnel's session. */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void theBastionListensOnItsLoopbackOnly(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        int tunnelPort = Loopback.freePort();
        start(spec(tunnelPort, bastion.port(), Keepalive.DEFAULT), bastion.port());
        states.awaitUp(0, UP);

        assertThat(Loopback.listeners(tunnelPort)).as("ss -ltnH 'sport = :%d'", tunnelPort).isNotEmpty()
                .allSatisfy(line -> assertThat(Loopback.localAddress(line)).as("listener: %s", line)
                        .isIn("127.0.0.1:" + tunnelPort, "[::1]:" + tunnelPort,
                                "[::ffff:127.0.0.1]:" + tunnelPort)); // a JVM binds IPv4 as IPv4-mapped IPv6
    }

    /** (b) The bastion goes down for 2 s and comes back; so does the tunnel, without anyone's help. */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void bastionRestartIsSurvived(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        int tunnelPort = Loopback.freePort();
        start(spec(tunnelPort, bastion.port(), Keepalive.DEFAULT), bastion.port());
        states.awaitUp(0, UP);

        long stopped = System.nanoTime();
        bastion.stop();
        states.awaitFirst("loss noticed", s -> s.phase() == TunnelPhase.BACKING_OFF, stopped, Duration.ofSeconds(10));
        Thread.sleep(2000); // the bastion's downtime: the scenario, not a wait for a condition
        long restarted = System.nanoTime();
        bastion.start();
        StateRecorder.Change up = states.awaitUp(restarted, Duration.ofSeconds(15));
        System.out.printf(LOG + "%s restarted: tunnel up %d ms after the bastion was back (%d ms after it went down)%n",
                bastion, millis(up.nanos() - restarted), millis(up.nanos() - stopped));
        assertThat(millis(up.nanos() - restarted)).as("recovery bound: one backoff step (5 s) plus connecting\n%s",
                states.describe()).isLessThan(7000);
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        assertThat(up.state().reconnects()).isPositive();
    }

    /** (c) The bastion kills the tunnel's session; the tunnel opens a new one. */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void sessionKilledAtTheBastionComesBack(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        int tunnelPort = Loopback.freePort();
        start(spec(tunnelPort, bastion.port(), Keepalive.DEFAULT), bastion.port());
        states.awaitUp(0, UP);
        int logins = bastion.logins();

        long killed = System.nanoTime();
        bastion.killSessionHolding(tunnelPort);
        StateRecorder.Change up = states.awaitUp(killed, Duration.ofSeconds(10));
        System.out.printf(LOG + "%s killed the session: tunnel up again after %d ms%n", bastion,
                millis(up.nanos() - killed));
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        assertThat(bastion.logins()).as("a new login").isEqualTo(logins + 1);
    }

    /**
     * (d) The link goes silent — no FIN, no RST. The keepalives notice within their bound (1 s x 3, plus one
     * interval for the first probe that goes unanswered); once the link is back the tunnel is too.
     */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void silentLinkIsNoticedWithinTheKeepaliveBoundAndRecovered(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        SilenceableLink link = own(SilenceableLink.to(bastion.port()));
        int tunnelPort = Loopback.freePort();
        start(spec(tunnelPort, link.port(), FAST), link.port());
        states.awaitUp(0, UP);

        long silenced = System.nanoTime();
        link.silence();
        StateRecorder.Change noticed = states.awaitFirst("dead link noticed",
                s -> s.phase() == TunnelPhase.BACKING_OFF, silenced, Duration.ofSeconds(15));
        long bound = FAST.intervalSeconds() * 1000L * (FAST.maxMissed() + 1) + 1000;
        System.out.printf(LOG + "%s: silent link noticed after %d ms (keepalive %d s x %d): %s%n", bastion,
                millis(noticed.nanos() - silenced), FAST.intervalSeconds(), FAST.maxMissed(),
                noticed.state().lastError().orElse(""));
        assertThat(millis(noticed.nanos() - silenced)).as(states.describe()).isLessThanOrEqualTo(bound);
        assertThat(noticed.state().lastError()).hasValueSatisfying(e -> assertThat(e).contains("keepalive"));

        Thread.sleep(Math.max(0, 8000 - millis(System.nanoTime() - silenced))); // an 8 s outage: the scenario
        long restored = System.nanoTime();
        link.restore();
        StateRecorder.Change up = states.awaitUp(restored, Duration.ofSeconds(20));
        System.out.printf(LOG + "%s: link back after %d ms of silence; tunnel up %d ms later%n", bastion,
                millis(restored - silenced), millis(up.nanos() - restored));
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
    }

    /**
     * (e) Another client holds the port at the bastion: the tunnel keeps its session, asks again with backoff
     * (announcing the refusal once, not per try) and takes the port over as soon as it is free.
     */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void portHeldByAnotherClientIsTakenOverOnceFree(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        int tunnelPort = Loopback.freePort();
        BannerServer otherTarget = own(BannerServer.start());
        StateRecorder holderStates = new StateRecorder();
        NativeTunnel holder = own(NativeTunnel.start(
                spec(tunnelPort, bastion.port(), Keepalive.DEFAULT).toBuilder()
                        .target(new TargetAddress("127.0.0.1", otherTarget.port())).build(),
                TunnelOptions.of(knownHosts(bastion.port())), holderStates));
        holderStates.awaitUp(0, UP);

        NativeTunnel tunnel = start(spec(tunnelPort, bastion.port(), Keepalive.DEFAULT), bastion.port());
        StateRecorder.Change waiting = states.awaitFirst("port refused",
                s -> s.phase() == TunnelPhase.WAITING_FOR_PORT, 0, UP);
        assertThat(waiting.state().lastError()).hasValueSatisfying(e -> assertThat(e).contains("refused", "taken"));
        Thread.sleep(3000); // several retries happen meanwhile (0.2 s doubling to 2 s): the scenario
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        assertThat(otherTarget.accepted()).as("while held, the port leads to the holder's target").isEqualTo(1);
        assertThat(target.accepted()).isZero();
        assertThat(states.count(s -> s.phase() == TunnelPhase.WAITING_FOR_PORT))
                .as("the refusal is announced once, not per retry\n%s", states.describe()).isEqualTo(1);

        long released = System.nanoTime();
        holder.close();
        StateRecorder.Change up = states.awaitUp(released, Duration.ofSeconds(10));
        System.out.printf(LOG + "%s: port taken over %d ms after the other client let go%n", bastion,
                millis(up.nanos() - released));
        assertThat(millis(up.nanos() - released)).as("forward retries are at most 2 s apart\n%s", states.describe())
                .isLessThan(4000);
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        assertThat(target.accepted()).as("now the port leads to our target").isEqualTo(1);
        assertThat(tunnel.state().reconnects()).as("the session was kept while waiting").isZero();
    }

    /** (f) A bastion presenting a key other than the pinned one is refused: no login, known_hosts untouched. */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void aChangedHostKeyIsRefusedAndNothingIsWritten(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        Path otherHostKey = dir.resolve("other_hostkey");
        OpenSshBastion.generateKey(otherHostKey);
        SshPublicKey other = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(otherHostKey));
        Path knownHosts = dir.resolve("known_hosts_with_another_key");
        String pinned = other.knownHostsLine("[127.0.0.1]:" + bastion.port()) + "\n";
        Files.writeString(knownHosts, pinned);
        int tunnelPort = Loopback.freePort();

        NativeTunnel tunnel = own(NativeTunnel.start(spec(tunnelPort, bastion.port(), Keepalive.DEFAULT),
                TunnelOptions.of(knownHosts), states));
        StateRecorder.Change refused = states.awaitFirst("host key refused",
                s -> s.phase() == TunnelPhase.BACKING_OFF, 0, UP);
        states.awaitFirst("a second attempt refused too", s -> s.phase() == TunnelPhase.BACKING_OFF
                && s.reconnects() >= 1, refused.nanos(), UP);
        System.out.println(LOG + bastion + ": " + refused.state().lastError().orElse(""));
        String presented = bastion.hostKey().fingerprint();
        assertThat(refused.state().lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains("host key changed", other.fingerprint(), presented));
        assertThat(states.count(EngineState::isUp)).isZero();
        assertThat(bastion.logins()).as("never logged in\n%s", bastion.diagnostics()).isZero();
        assertThat(Loopback.listeners(tunnelPort)).isEmpty();
        assertThat(Files.readString(knownHosts)).as("known_hosts is never written").isEqualTo(pinned);
        assertThat(tunnel.state().phase()).isNotEqualTo(TunnelPhase.UP);
    }

    /** (f) No pinned key for the bastion, or no known_hosts at all: refused before connecting, nothing written. */
    @ParameterizedTest
    @EnumSource(TestBastion.Kind.class)
    void anUnknownHostKeyIsRefusedBeforeConnecting(TestBastion.Kind kind) throws Exception {
        startBastion(kind);
        int tunnelPort = Loopback.freePort();
        TunnelSpec spec = spec(tunnelPort, bastion.port(), Keepalive.DEFAULT);
        Path otherHostOnly = dir.resolve("known_hosts_of_another_host");
        String content = bastion.hostKey().knownHostsLine("[127.0.0.1]:" + (bastion.port() + 1)) + "\n";
        Files.writeString(otherHostOnly, content);
        Path missing = dir.resolve("no_such_known_hosts");
        int connections = bastion.connections();

        assertThatThrownBy(() -> NativeTunnel.start(spec, TunnelOptions.of(otherHostOnly), states))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("no host key of bastion [127.0.0.1]:" + bastion.port() + " is pinned in");
        assertThatThrownBy(() -> NativeTunnel.start(spec, TunnelOptions.of(missing), states))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");

        assertThat(missing).as("no known_hosts is created").doesNotExist();
        assertThat(Files.readString(otherHostOnly)).isEqualTo(content);
        await("no connection reaches the bastion").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> bastion.connections() == connections);
        assertThat(states.changes()).isEmpty();
    }

    /**
     * (g) Keys as ssh-keygen makes them — ed25519, ECDSA and RSA, OpenSSH format and PEM, and one with a
     * passphrase read from a file — log in to real sshd.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa", "rsa -m PEM", "ecdsa -m PEM", "ed25519 -N secret"})
    void everyKindOfKeyLogsIn(String keygenArguments) throws Exception {
        startBastion(TestBastion.Kind.OPENSSH);
        List<String> words = List.of(keygenArguments.split(" "));
        Path key = dir.resolve("key-" + keygenArguments.replace(' ', '_'));
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", words.get(0), "-f", key.toString()));
        argv.addAll(words.subList(1, words.size()));
        if (!argv.contains("-N")) {
            argv.addAll(List.of("-N", ""));
        }
        Process keygen = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keygen.exitValue()).as(new String(keygen.getInputStream().readAllBytes())).isZero();
        bastion.authorize(key);
        TunnelOptions options = TunnelOptions.of(knownHosts(bastion.port()));
        if (argv.contains("secret")) {
            options = options.withPassphraseFile(Files.writeString(dir.resolve("passphrase"), "secret\n"));
        }
        int tunnelPort = Loopback.freePort();

        own(NativeTunnel.start(spec(tunnelPort, bastion.port(), Keepalive.DEFAULT).toBuilder().key(key).build(),
                options, states));

        states.awaitUp(0, UP);
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        assertThat(bastion.logins()).isEqualTo(1);
    }

    /**
     * Sends {@code bytes} random bytes through the tunnel to the echoing target and reads as many back; returns
     * "" if they are the same. The connection is closed only then: the embedded bastion, like MINA's
     * forwarding in general, does not keep a half-closed connection open.
     */
    private static String echoThrough(int tunnelPort, int bytes, long seed, ExecutorService pool) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tunnelPort), 5000);
            socket.setSoTimeout(60_000);
            InputStream in = socket.getInputStream();
            String banner = readLine(in);
            if (!BannerServer.BANNER.equals(banner)) {
                return "connection " + seed + ": greeting was '" + banner + "'";
            }
            Future<byte[]> sent = pool.submit(() -> {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                SplittableRandom random = new SplittableRandom(seed);
                byte[] chunk = new byte[64 * 1024];
                OutputStream out = socket.getOutputStream();
                for (int left = bytes; left > 0; left -= chunk.length) {
                    for (int i = 0; i < chunk.length; i += 8) {
                        long value = random.nextLong();
                        for (int j = 0; j < 8; j++) {
                            chunk[i + j] = (byte) (value >>> (8 * j));
                        }
                    }
                    int n = Math.min(left, chunk.length);
                    out.write(chunk, 0, n);
                    digest.update(chunk, 0, n);
                }
                out.flush();
                return digest.digest();
            });
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            while (total < bytes) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, bytes - total));
                if (n < 0) {
                    break;
                }
                received.update(buffer, 0, n);
                total += n;
            }
            byte[] expected = sent.get(1, TimeUnit.MINUTES);
            byte[] actual = received.digest();
            return MessageDigest.isEqual(expected, actual) && total == bytes ? "" : "connection " + seed + ": sent "
                    + bytes + " bytes with SHA-256 " + HexFormat.of().formatHex(expected) + ", got back " + total
                    + " bytes with SHA-256 " + HexFormat.of().formatHex(actual);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    private TunnelSpec spec(int tunnelPort, int sshPort, Keepalive keepalive) {
        return TunnelSpec.builder()
                .port(tunnelPort)
                .bastion(BastionAddress.parse(bastion.user() + "@127.0.0.1:" + sshPort))
                .target(new TargetAddress("127.0.0.1", target.port()))
                .key(bastion.clientKey())
                .serviceUser(System.getProperty("user.name"))
                .keepalive(keepalive)
                .build();
    }

    /** A known_hosts that pins the bastion's host key for 127.0.0.1:{@code sshPort} (the bastion, or a link to it). */
    private Path knownHosts(int sshPort) throws IOException {
        Path file = dir.resolve("known_hosts_" + sshPort);
        Files.writeString(file, bastion.hostKey().knownHostsLine("[127.0.0.1]:" + sshPort) + "\n",
                StandardCharsets.UTF_8);
        return file;
    }

    private NativeTunnel start(TunnelSpec spec, int sshPort) throws IOException {
        return own(NativeTunnel.start(spec, TunnelOptions.of(knownHosts(sshPort)), states));
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
