package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sshd reads the line {@link AuthorizedKeyLine} renders, with a hostile comment: plain OpenSSH
 * {@code ssh} with that key may hold the tunnel's port and connect to it, and nothing else. Each refusal is
 * paired with the same request made with the fixture's unrestricted key, which succeeds: what is refused
 * is refused by the line's options. What the line cannot refuse (Unix-socket forwards, a forward beyond
 * loopback under {@code GatewayPorts yes}) is {@link SshdAccountBlockIT}'s.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AuthorizedKeyLineIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USER = System.getProperty("user.name");
    /** Quotes, an option, a line break and a second key: all must end up as '_' in one comment field. */
    private static final String HOSTILE_COMMENT = "tunnel\" ,command=\"/bin/sh\",permitlisten=\"*:*\"\n"
            + "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G $(id) \u00e9\u2028#";

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
    void bastionWithAConfinedKey() throws Exception {
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        target = BannerServer.start();
        tunnelKey = dir.resolve("tunnel_key");
        OpenSshBastion.generateKey(tunnelKey);
        tunnelPort = Loopback.freePort();
        AuthorizedKeyLine line = new AuthorizedKeyLine(tunnelPort,
                OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(tunnelKey)), HOSTILE_COMMENT);
        assertThat(line.render().split(" ")).as("fields of %s", line.render()).hasSize(4);
        bastion.authorizeLine(line.render());
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

    @Test
    void keyHoldsItsPortAndTheForwardReachesTheTarget() throws Exception {
        OwnedProcess tunnel = forward("tunnel", tunnelKey, tunnelPort);

        awaitListening(tunnelPort, tunnel);

        assertThat(Loopback.listeners(tunnelPort)).extracting(Loopback::localAddress).contains("127.0.0.1:" + tunnelPort)
                .allSatisfy(address -> assertThat(address).isIn("127.0.0.1:" + tunnelPort, "[::1]:" + tunnelPort));
        assertThat(Loopback.listenerPids(tunnelPort)).singleElement()
                .satisfies(pid -> assertThat(bastion.isSession(pid)).as("pid %d is a bastion session", pid).isTrue());
        assertThat(BannerServer.probe(tunnelPort)).isEqualTo(BannerServer.BANNER);
        Thread.sleep(1000);
        assertThat(tunnel.isAlive()).as("ssh -N keeps running\n%s", tunnel.describe()).isTrue();
        assertThat(bastion.logText()).contains("Accepted publickey for " + USER + " from 127.0.0.1");
    }

    @Test
    void keyCannotListenOnAnotherPort() throws Exception {
        int otherPort = Loopback.freePort();

        OwnedProcess refused = forward("other-port", tunnelKey, otherPort);

        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isEqualTo(255);
        assertThat(refused.stderr()).contains("remote port forwarding failed for listen port " + otherPort);
        assertThat(Loopback.listeners(otherPort)).isEmpty();

        OwnedProcess control = forward("other-port-unrestricted", bastion.clientKey(), otherPort);
        awaitListening(otherPort, control);
    }

    @Test
    void keyCannotRunACommand() throws Exception {
        OwnedProcess refused = ssh("command", tunnelKey, List.of(), "echo x");

        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isNotZero();
        assertThat(refused.stdout()).doesNotContain("x");

        OwnedProcess control = ssh("command-unrestricted", bastion.clientKey(), List.of(), "echo x");
        assertThat(control.awaitExit(WAIT)).as(control.describe()).isZero();
        assertThat(control.stdout()).isEqualTo("x\n");
    }

    @Test
    void keyCannotGetAPtyShell() throws Exception {
        OwnedProcess refused = ssh("shell", tunnelKey, List.of("-tt"));

        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isNotZero();
        assertThat(refused.stderr()).contains("PTY allocation request failed");

        OwnedProcess control = ssh("shell-unrestricted", bastion.clientKey(), List.of("-tt"), "tty");
        assertThat(control.awaitExit(WAIT)).as(control.describe()).isZero();
        assertThat(control.stdout()).contains("/dev/pts/");
    }

    @Test
    void keyMayConnectToItsPortOnlyForHealthProbes() throws Exception {
        OwnedProcess tunnel = forward("tunnel", tunnelKey, tunnelPort);
        awaitListening(tunnelPort, tunnel);

        OwnedProcess probe = ssh("probe", tunnelKey, List.of("-W", "localhost:" + tunnelPort));
        assertThat(probe.awaitExit(WAIT)).as(probe.describe()).isZero();
        assertThat(probe.stdout()).startsWith(BannerServer.BANNER);

        OwnedProcess refused = ssh("open-other", tunnelKey, List.of("-W", "localhost:" + target.port()));
        assertThat(refused.awaitExit(WAIT)).as(refused.describe()).isEqualTo(255);
        assertThat(refused.stderr()).contains("administratively prohibited");
        assertThat(refused.stdout()).doesNotContain(BannerServer.BANNER);

        OwnedProcess control = ssh("open-other-unrestricted", bastion.clientKey(), List.of("-W", "localhost:" + target.port()));
        assertThat(control.awaitExit(WAIT)).as(control.describe()).isZero();
        assertThat(control.stdout()).startsWith(BannerServer.BANNER);
    }

    /**
     * Plain ssh as a script runs it: no config file, no agent, no prompts, only this key and the pinned host
     * key; {@code options} before the destination, {@code command} (if any) after it.
     */
    private OwnedProcess ssh(String name, Path key, List<String> options, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of(ssh.toString(), "-F", "none",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", key.toString(),
                "-o", "UserKnownHostsFile=" + bastion.knownHosts(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=10", "-p", String.valueOf(bastion.port())));
        argv.addAll(options);
        argv.add(USER + "@127.0.0.1");
        argv.addAll(List.of(command));
        OwnedProcess process = OwnedProcess.start(name, argv, null, dir.resolve("logs"));
        processes.add(process);
        return process;
    }

    /** {@code ssh -N -o ExitOnForwardFailure=yes -R PORT:localhost:TARGET}, as a tunnel runs it. */
    private OwnedProcess forward(String name, Path key, int port) throws IOException {
        return ssh(name, key, List.of("-N", "-o", "ExitOnForwardFailure=yes", "-R", port + ":localhost:" + target.port()));
    }

    private void awaitListening(int port, OwnedProcess client) {
        await("a listener on 127.0.0.1:" + port).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!client.isAlive()) {
                throw new AssertionError("ssh exited\n" + client.describe() + "\n" + bastion.diagnostics());
            }
            return !Loopback.listenerPids(port).isEmpty() && Loopback.accepts(port);
        });
    }
}
