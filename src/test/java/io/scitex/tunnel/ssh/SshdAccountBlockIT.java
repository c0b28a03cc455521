package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sshd with the tunnel key's {@link AuthorizedKeyLine} in authorized_keys and the
 * {@link SshdAccountBlock} for the test's account in sshd_config, as the README tells a bastion's admin to
 * set it up. Where the block closes what the line cannot, the same request is first made with the line
 * alone, on the same sshd, and succeeds: what is refused afterwards is refused by the block.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SshdAccountBlockIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USER = System.getProperty("user.name");

    private static Path ssh;

    @TempDir
    Path dir;
    private OpenSshBastion bastion;
    private BannerServer target;
    private Path tunnelKey;
    private int tunnelPort;
    private final List<OwnedProcess> processes = new ArrayList<>();

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ssh-keygen", "install openssh-client");
        Prerequisites.program("ss", "install iproute2");
        ssh = Prerequisites.program("ssh", "install openssh-client");
    }

    @BeforeEach
    void bastionWithTheTunnelLine() throws Exception {
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        target = BannerServer.start();
        tunnelKey = dir.resolve("tunnel_key");
        OpenSshBastion.generateKey(tunnelKey);
        tunnelPort = Loopback.freePort();
        bastion.authorizeLine(new AuthorizedKeyLine(tunnelPort,
                OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(tunnelKey)), "scitex-tunnel-test").render());
    }

    @AfterEach
    void stopEverything() throws IOException {
        List<ProcessHandle> started = OwnedProcess.closeAll(processes);
        if (bastion != null) {
            bastion.close();
        }
        if (target != null) {
            target.close();
        }
        assertThat(OwnedProcess.stillRunning(started))
                .as("processes this test started and still running after cleanup").isEmpty();
    }

    /** Appends the block to sshd_config and restarts sshd, which drops every session. */
    private void installBlock() throws Exception {
        bastion.appendConfig(new SshdAccountBlock(USER).lines());
    }

    @Test
    void theLineAloneLetsTheKeyListenOnAUnixSocketAndTheBlockStopsIt() throws Exception {
        Path before = dir.resolve("before.sock");
        OwnedProcess allowed = forward("unix-socket-line-alone", before.toString());
        await("the bastion listening on " + before).atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(before) || !allowed.isAlive());
        assertThat(allowed.isAlive()).as(allowed.describe()).isTrue();
        assertThat(greeting(before)).as("the socket leads to the target").startsWith(BannerServer.BANNER);

        installBlock();
        Path after = dir.resolve("after.sock");
        OwnedProcess refused = forward("unix-socket-with-block", after.toString());

        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isEqualTo(255);
        assertThat(refused.stderr()).contains("remote port forwarding failed for listen path " + after);
        assertThat(after).doesNotExist();
    }

    @Test
    void onABastionWithGatewayPortsYesTheBlockKeepsTheForwardOnLoopback() throws Exception {
        bastion.appendConfig(List.of("GatewayPorts yes"));
        OwnedProcess exposed = forward("gateway-ports-line-alone", String.valueOf(tunnelPort));
        awaitListening(tunnelPort, exposed);
        assertThat(Loopback.listeners(tunnelPort)).extracting(Loopback::localAddress)
                .as("with the line alone the forward listens beyond loopback").anyMatch(a -> !isLoopback(a));

        installBlock();
        OwnedProcess tunnel = forward("gateway-ports-with-block", String.valueOf(tunnelPort));
        awaitListening(tunnelPort, tunnel);

        assertThat(Loopback.listeners(tunnelPort)).extracting(Loopback::localAddress).isNotEmpty()
                .allMatch(SshdAccountBlockIT::isLoopback, "on loopback");
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
    }

    @Test
    void onABastionThatForbidsForwardingTheBlockLetsTheAccountCarryItsTunnel() throws Exception {
        bastion.appendConfig(List.of("AllowTcpForwarding no"));
        OwnedProcess refused = forward("forwarding-forbidden", String.valueOf(tunnelPort));
        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isEqualTo(255);
        assertThat(refused.stderr()).contains("remote port forwarding failed for listen port " + tunnelPort);

        installBlock();
        OwnedProcess tunnel = forward("forwarding-for-the-account", String.valueOf(tunnelPort));
        awaitListening(tunnelPort, tunnel);

        assertThat(probe().result()).isEqualTo(Result.TARGET_ANSWERED);
    }

    /** Why the block says {@code AllowTcpForwarding yes}: with {@code remote}, the tunnel listens but cannot be probed. */
    @Test
    void remoteForwardingAloneWouldLeaveTheProbeRefused() throws Exception {
        bastion.appendConfig(List.of("Match User " + USER, "    AllowTcpForwarding remote"));
        OwnedProcess tunnel = forward("remote-only", String.valueOf(tunnelPort));
        awaitListening(tunnelPort, tunnel);

        ProbeOutcome outcome = probe();

        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.PROBE_REFUSED);
    }

    @Test
    void withTheBlockTheTunnelWorksAndTheToolsProbeReachesTheTarget() throws Exception {
        installBlock();

        OwnedProcess tunnel = forward("tunnel", String.valueOf(tunnelPort));
        awaitListening(tunnelPort, tunnel);

        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        ProbeOutcome outcome = probe();
        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.TARGET_ANSWERED);
        assertThat(outcome.detail()).contains(BannerServer.BANNER);
        assertThat(tunnel.isAlive()).as("ssh -N keeps running\n%s", tunnel.describe()).isTrue();
    }

    @Test
    void withTheBlockTheKeyCannotListenOnAnotherPort() throws Exception {
        installBlock();
        int otherPort = Loopback.freePort();

        OwnedProcess refused = forward("other-port", String.valueOf(otherPort));

        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isEqualTo(255);
        assertThat(refused.stderr()).contains("remote port forwarding failed for listen port " + otherPort);
        assertThat(Loopback.listeners(otherPort)).isEmpty();
    }

    @Test
    void withTheBlockTheKeyCannotRunACommand() throws Exception {
        installBlock();

        OwnedProcess refused = ssh("command", List.of(), "echo x");

        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isNotZero();
        assertThat(refused.stdout()).doesNotContain("x");
    }

    @Test
    void withTheBlockTheKeyCannotGetAShell() throws Exception {
        installBlock();

        OwnedProcess refused = ssh("shell", List.of("-tt"));

        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).contains("PTY allocation request failed");
    }

    @Test
    void sshdGivesTheSettingsToTheAccountOnlyAndEndsTheBlock() throws Exception {
        installBlock();
        bastion.appendConfig(List.of("MaxSessions 7")); // after the block: for everyone again

        List<String> account = bastion.effectiveConfig(USER);
        List<String> someoneElse = bastion.effectiveConfig("someone-else");

        assertThat(account).contains("allowtcpforwarding yes", "gatewayports no", "allowstreamlocalforwarding no",
                "permittunnel no", "permittty no", "x11forwarding no", "allowagentforwarding no", "maxsessions 7");
        assertThat(someoneElse).contains("allowstreamlocalforwarding yes", "permittty yes", "maxsessions 7");
    }

    private ProbeOutcome probe() {
        return new ForwardProbe(Duration.ofSeconds(5)).probeAll(List.of(new ForwardProbe.Tunnel(tunnelPort,
                BastionAddress.parse("127.0.0.1:" + bastion.port()), USER, tunnelKey, bastion.knownHosts(),
                Optional.of(new TargetAddress("127.0.0.1", target.port())), Optional.empty()))).get(0);
    }

    /** Plain ssh with the tunnel key, as a script runs it: no config file, no agent, no prompts. */
    private OwnedProcess ssh(String name, List<String> options, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of(ssh.toString(), "-F", "none",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", tunnelKey.toString(),
                "-o", "UserKnownHostsFile=" + bastion.knownHosts(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10", "-p", String.valueOf(bastion.port())));
        argv.addAll(options);
        argv.add(USER + "@127.0.0.1");
        argv.addAll(List.of(command));
        OwnedProcess process = OwnedProcess.start(name, argv, null, dir.resolve("logs"));
        processes.add(process);
        return process;
    }

    /** {@code ssh -N -o ExitOnForwardFailure=yes -R LISTEN:localhost:TARGET}: a port or a socket path. */
    private OwnedProcess forward(String name, String listen) throws IOException {
        return ssh(name, List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", listen + ":localhost:" + target.port()));
    }

    private void awaitListening(int port, OwnedProcess client) {
        await("a listener on 127.0.0.1:" + port).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!client.isAlive()) {
                throw new AssertionError("ssh exited\n" + client.describe() + "\n" + bastion.diagnostics());
            }
            return !Loopback.listenerPids(port).isEmpty() && Loopback.accepts(port);
        });
    }

    private static boolean isLoopback(String address) {
        return address.startsWith("127.0.0.1:") || address.startsWith("[::1]:");
    }

    /** What arrives first on a Unix socket, as a program on the bastion would read it. */
    private static String greeting(Path socket) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer buffer = ByteBuffer.allocate(256);
                channel.read(buffer);
                return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
