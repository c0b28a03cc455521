package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientSession.ClientSessionEvent;
import org.apache.sshd.common.AttributeRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ForwardProbe} against a real OpenSSH bastion on 127.0.0.1 and a real {@code ssh -R} forward to a
 * banner server: each outcome is produced by the situation it names, not by a stand-in.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ForwardProbeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String USER = System.getProperty("user.name");
    private static Path ssh;

    @TempDir
    Path dir;
    private OpenSshBastion bastion;
    private BannerServer target;
    private final List<OwnedProcess> processes = new ArrayList<>();

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ss", "install iproute2");
        ssh = Prerequisites.program("ssh", "install openssh-client");
    }

    @BeforeEach
    void startBastionAndTarget() throws Exception {
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        target = BannerServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        processes.forEach(OwnedProcess::close);
        bastion.close();
        target.close();
    }

    @Test
    void aWorkingForwardReportsTheTargetsBanner() throws Exception {
        int port = forwardTo(target.port());
        int before = target.accepted();

        ProbeOutcome outcome = probe(port, bastion.knownHosts());

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.TARGET_ANSWERED);
        assertThat(outcome.detail()).contains(BannerServer.BANNER, "127.0.0.1:" + target.port() + " answered");
        assertThat(outcome.duration()).isLessThan(TIMEOUT);
        assertThat(target.accepted()).as("the probe's connection arrived at the target").isEqualTo(before + 1);
    }

    @Test
    void aStoppedTargetBehindAListeningForwardIsReportedAsClosedAndRefusingHere() throws Exception {
        int port = forwardTo(target.port());
        target.close();

        ProbeOutcome outcome = probe(port, bastion.knownHosts());

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.TARGET_CLOSED);
        assertThat(outcome.detail()).contains("the forward is listening on the bastion",
                "127.0.0.1:" + target.port() + " refuses connections");
    }

    @Test
    void aTargetThatAcceptsButSaysNothingIsSilent() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = forwardTo(silent.getLocalPort());
            ProbeOutcome outcome = probeOne(new ForwardProbe(Duration.ofMillis(1500)),
                    tunnel(port, bastion.knownHosts(), bastion.clientKey(), silent.getLocalPort()));
            assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.TARGET_SILENT);
            assertThat(outcome.detail()).contains("sent nothing back within 1.5 s", "accepts connections");
            assertThat(outcome.duration()).isLessThan(Duration.ofMillis(1500 + 1000));
        }
    }

    @Test
    void withoutAForwardNothingListensOnTheBastionsPort() throws Exception {
        int port = Loopback.freePort();

        ProbeOutcome outcome = probe(port, bastion.knownHosts());

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.FORWARD_MISSING);
        assertThat(outcome.detail()).contains("nothing listens on localhost:" + port + " on the bastion");
    }

    @Test
    void aChangedHostKeyIsReportedWithBothFingerprintsAndNeverRepinned() throws Exception {
        Path otherKey = dir.resolve("other_hostkey");
        OpenSshBastion.generateKey(otherKey);
        SshPublicKey pinned = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(otherKey));
        Path pins = dir.resolve("pinned_known_hosts");
        String pinText = pinned.knownHostsLine(bastion.knownHostsName()) + "\n";
        Files.writeString(pins, pinText);

        ProbeOutcome outcome = probe(Loopback.freePort(), pins);

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.HOST_KEY_CHANGED);
        assertThat(outcome.detail()).startsWith("bastion host key changed — possible man-in-the-middle")
                .contains("expected ssh-ed25519 " + pinned.fingerprint(),
                        "presented ssh-ed25519 " + bastion.hostKey().fingerprint());
        String presented = bastion.hostKey().fingerprint();
        assertThat(outcome.hostKey()).hasValueSatisfying(m -> {
            assertThat(m.expected()).endsWith(pinned.fingerprint());
            assertThat(m.presented()).endsWith(presented);
        });
        assertThat(Files.readString(pins)).as("the pin file is untouched").isEqualTo(pinText);
    }

    /**
     * MINA closes a session at once when its server key is refused, and closing clears the session's
     * attributes: why the key was refused must outlive that, or the probe, woken by the failed login a moment
     * later, finds nothing and reports an unknown key where the key changed.
     */
    @Test
    void whyAChangedKeyWasRefusedIsStillKnownOnceTheSessionHasClosed() throws Exception {
        Path otherKey = dir.resolve("other_hostkey");
        OpenSshBastion.generateKey(otherKey);
        SshPublicKey pinned = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(otherKey));
        Path pins = Files.writeString(dir.resolve("pinned_known_hosts"),
                pinned.knownHostsLine(bastion.knownHostsName()) + "\n");
        String presented = bastion.hostKey().fingerprint();
        SshClient client = StrictSshClient.createWithPinsPerConnection(Keepalive.DEFAULT);
        client.start();
        try (ClientSession session = client.connect(USER, "127.0.0.1", bastion.port(),
                AttributeRepository.ofKeyValuePair(StrictSshClient.KNOWN_HOSTS, KnownHostsFile.read(pins)), null)
                .verify(TIMEOUT).getSession()) {
            session.waitFor(EnumSet.of(ClientSessionEvent.CLOSED), TIMEOUT);
            assertThat(session.isClosed()).as("the refused session is closed").isTrue();

            assertThat(StrictSshClient.hostKeyMismatch(session)).hasValueSatisfying(m -> {
                assertThat(m.expected()).endsWith(pinned.fingerprint());
                assertThat(m.presented()).endsWith(presented);
            });
            assertThat(StrictSshClient.hostKeyRefusal(session)).hasValueSatisfying(why ->
                    assertThat(why).startsWith("its host key changed").contains(pins.toString()));
        } finally {
            client.stop();
        }
    }

    @Test
    void aBastionWithoutPinnedKeyIsRefused() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty_known_hosts"), "");

        ProbeOutcome outcome = probe(Loopback.freePort(), empty);

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.HOST_KEY_UNKNOWN);
    }

    @Test
    void aKeyTheBastionDoesNotAcceptIsRejected() throws Exception {
        Path stranger = dir.resolve("stranger");
        OpenSshBastion.generateKey(stranger);

        ProbeOutcome outcome = probeOne(new ForwardProbe(TIMEOUT), tunnel(Loopback.freePort(), bastion.knownHosts(),
                stranger, target.port()));

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.AUTH_REJECTED);
        assertThat(outcome.detail()).contains("refused the tunnel's key " + stranger);
    }

    @Test
    void aStoppedBastionIsUnreachable() throws Exception {
        bastion.stop();

        ProbeOutcome outcome = probe(Loopback.freePort(), bastion.knownHosts());

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.BASTION_UNREACHABLE);
        assertThat(outcome.detail()).contains("connection refused");
        bastion.start(); // for @AfterEach
    }

    @Test
    void aMissingKeyCannotProbe() {
        ProbeOutcome outcome = probeOne(new ForwardProbe(TIMEOUT), tunnel(Loopback.freePort(), bastion.knownHosts(),
                dir.resolve("no-such-key"), target.port()));

        assertThat(outcome.result()).isEqualTo(Result.CANNOT_PROBE);
        assertThat(outcome.detail()).contains("no-such-key does not exist");
    }

    @Test
    void probesOfSeveralTunnelsRunInParallelWithinOneTimeout() throws Exception {
        // Three silent targets: each probe waits its full timeout, so serial probing would take three.
        List<java.net.ServerSocket> silent = new ArrayList<>();
        List<ForwardProbe.Tunnel> tunnels = new ArrayList<>();
        Duration timeout = Duration.ofSeconds(2);
        try {
            for (int i = 0; i < 3; i++) {
                java.net.ServerSocket server = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"));
                silent.add(server);
                tunnels.add(tunnel(forwardTo(server.getLocalPort()), bastion.knownHosts(), bastion.clientKey(),
                        server.getLocalPort()));
            }
            long start = System.nanoTime();
            List<ProbeOutcome> outcomes = new ForwardProbe(timeout).probeAll(tunnels);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(outcomes).extracting(ProbeOutcome::result).containsOnly(Result.TARGET_SILENT);
            assertThat(took).as("parallel").isLessThan(timeout.multipliedBy(2));
        } finally {
            for (java.net.ServerSocket server : silent) {
                server.close();
            }
        }
    }

    private ProbeOutcome probe(int port, Path knownHosts) {
        return probeOne(new ForwardProbe(TIMEOUT), tunnel(port, knownHosts, bastion.clientKey(), target.port()));
    }

    /** One tunnel, probed as status probes them all. */
    private static ProbeOutcome probeOne(ForwardProbe probe, ForwardProbe.Tunnel tunnel) {
        return probe.probeAll(List.of(tunnel)).get(0);
    }

    private ForwardProbe.Tunnel tunnel(int port, Path knownHosts, Path key, int targetPort) {
        return new ForwardProbe.Tunnel(port, BastionAddress.parse("127.0.0.1:" + bastion.port()), USER, key,
                knownHosts, Optional.of(new TargetAddress("127.0.0.1", targetPort)), Optional.empty());
    }

    /** A real {@code ssh -R} from a free bastion port to {@code targetPort}; returns once the bastion listens. */
    private int forwardTo(int targetPort) throws Exception {
        int port = Loopback.freePort();
        OwnedProcess client = OwnedProcess.start("ssh-R", List.of(ssh.toString(), "-N", "-F", "none",
                "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + bastion.knownHosts(), "-o", "IdentitiesOnly=yes",
                "-i", bastion.clientKey().toString(), "-p", Integer.toString(bastion.port()),
                "-R", port + ":127.0.0.1:" + targetPort, "-l", USER, "127.0.0.1"), null, dir.resolve("logs"));
        processes.add(client);
        await("forward on " + port).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!client.isAlive()) {
                        throw new AssertionError(client.describe() + "\n" + bastion.diagnostics());
                    }
                    return !Loopback.listeners(port).isEmpty();
                });
        return port;
    }
}
