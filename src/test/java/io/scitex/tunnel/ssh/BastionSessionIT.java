package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link BastionSession} (Apache MINA SSHD) against a real OpenSSH sshd on 127.0.0.1. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BastionSessionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String USER = System.getProperty("user.name");

    private static Path ssh;

    @TempDir
    Path dir;
    private OpenSshBastion bastion;
    private BastionAddress address;
    private final List<OwnedProcess> processes = new ArrayList<>();

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ssh-keygen", "install openssh-client");
        Prerequisites.program("ss", "install iproute2");
        ssh = Prerequisites.program("ssh", "install openssh-client");
    }

    @BeforeEach
    void startBastion() throws Exception {
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        address = new BastionAddress(Optional.empty(), "127.0.0.1", bastion.port());
    }

    @AfterEach
    void stopEverything() {
        List<ProcessHandle> started = OwnedProcess.closeAll(processes);
        if (bastion != null) {
            bastion.close();
        }
        assertThat(OwnedProcess.stillRunning(started))
                .as("processes this test started and still running after cleanup").isEmpty();
    }

    private BastionSession open(Path key, Path knownHosts) {
        return BastionSession.open(address, USER, KeyPairLoader.load(key), knownHosts, TIMEOUT);
    }

    @Test
    void theBastionsKeyLogsInAndClosingEndsTheSession() throws Exception {
        try (BastionSession session = open(bastion.clientKey(), bastion.knownHosts())) {
            await("sshd logged the login").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> bastion.logText().contains("Accepted publickey for " + USER + " from 127.0.0.1"));
            assertThat(sessions()).as("sshd sessions while open").isNotEmpty();
        }
        await("the session ended at the bastion").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> sessions().isEmpty());
    }

    @Test
    void freePortCanBeListenedOnAndIsLeftFree() throws Exception {
        int port = Loopback.freePort();

        try (BastionSession session = open(bastion.clientKey(), bastion.knownHosts())) {
            assertThat(session.canListenOn(port)).isTrue();

            await("no listener left on " + port).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Loopback.listeners(port).isEmpty());
            assertThat(session.canListenOn(port)).as("asking again in the same session").isTrue();
        }
    }

    @Test
    void portHeldByAnotherClientCannotBeListenedOn() throws Exception {
        int held = Loopback.freePort();
        OwnedProcess holder = OwnedProcess.start("holder", List.of(ssh.toString(), "-F", "none", "-N",
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-i", bastion.clientKey().toString(), "-o", "UserKnownHostsFile=" + bastion.knownHosts(),
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes",
                "-o", "ExitOnForwardFailure=yes", "-p", String.valueOf(bastion.port()),
                "-R", held + ":localhost:9", USER + "@127.0.0.1"), null, dir.resolve("logs"));
        processes.add(holder);
        await("ssh -R holds " + held).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!holder.isAlive()) {
                throw new AssertionError("ssh exited\n" + holder.describe() + "\n" + bastion.diagnostics());
            }
            return !Loopback.listenerPids(held).isEmpty();
        });
        List<Long> owners = Loopback.listenerPids(held);

        try (BastionSession session = open(bastion.clientKey(), bastion.knownHosts())) {
            assertThat(session.canListenOn(held)).isFalse();
            assertThat(session.canListenOn(Loopback.freePort())).as("another port, same session").isTrue();
        }
        assertThat(holder.isAlive()).as(holder.describe()).isTrue();
        assertThat(Loopback.listenerPids(held)).as("the holder keeps the port").isEqualTo(owners);
    }

    @Test
    void keyConfinedByItsLineMayListenOnItsPortOnly() throws Exception {
        Path key = dir.resolve("tunnel_key");
        OpenSshBastion.generateKey(key);
        int port = Loopback.freePort();
        int otherPort = Loopback.freePort();
        bastion.authorizeLine(new AuthorizedKeyLine(port,
                OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(key)), "scitex-tunnel-test").render());

        try (BastionSession session = open(key, bastion.knownHosts())) {
            assertThat(session.canListenOn(otherPort)).isFalse();
            assertThat(session.canListenOn(port)).isTrue();
        }
    }

    @Test
    void unauthorizedKeyFailsAtAuthentication() throws Exception {
        Path stranger = dir.resolve("stranger_key");
        OpenSshBastion.generateKey(stranger);

        assertThatThrownBy(() -> open(stranger, bastion.knownHosts()))
                .isInstanceOfSatisfying(BastionCheckException.class,
                        e -> assertThat(e.step()).isEqualTo(BastionSession.Step.AUTHENTICATE))
                .hasMessageStartingWith(USER + "@" + bastion.knownHostsName() + " does not accept the key: ");
    }

    @Test
    void differentPinnedHostKeyFailsAtTheHostKey() throws Exception {
        Path impostor = dir.resolve("impostor_key");
        OpenSshBastion.generateKey(impostor);
        Path pins = dir.resolve("pins");
        Files.writeString(pins, OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(impostor))
                .knownHostsLine(bastion.knownHostsName()) + "\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> open(bastion.clientKey(), pins))
                .isInstanceOfSatisfying(BastionCheckException.class,
                        e -> assertThat(e.step()).isEqualTo(BastionSession.Step.HOST_KEY))
                .hasMessageContaining("the host key of bastion " + bastion.knownHostsName())
                .hasMessageContaining("possible man-in-the-middle");
        assertThat(bastion.logText()).doesNotContain("Accepted publickey");
    }

    @Test
    void nothingListeningFailsAtConnect() {
        int closed = Loopback.freePort();
        BastionAddress nowhere = new BastionAddress(Optional.empty(), "127.0.0.1", closed);

        assertThatThrownBy(() -> BastionSession.open(nowhere, USER, KeyPairLoader.load(bastion.clientKey()),
                bastion.knownHosts(), TIMEOUT))
                .isInstanceOfSatisfying(BastionCheckException.class,
                        e -> assertThat(e.step()).isEqualTo(BastionSession.Step.CONNECT))
                .hasMessageStartingWith("cannot connect to [127.0.0.1]:" + closed + ": ")
                .hasMessageContaining("Connection refused");
    }

    /** The processes sshd spawned for sessions. */
    private List<Long> sessions() {
        return ProcessHandle.of(bastion.pid()).stream().flatMap(ProcessHandle::descendants)
                .filter(ProcessHandle::isAlive).filter(h -> !OwnedProcess.isGone(h)).map(ProcessHandle::pid).toList();
    }
}
