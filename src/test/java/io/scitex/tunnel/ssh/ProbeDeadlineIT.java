package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Fifo;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.ReverseForwards;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

/**
 * {@link ForwardProbe} never waits on a file that does not end: a FIFO (or a device) as a tunnel's key,
 * passphrase file or pinned host keys is refused at once, the other tunnels are probed all the same, and
 * {@code status --timeout 1} is over within a second or two. Against a real OpenSSH bastion on 127.0.0.1
 * and a real {@code ssh -R} forward; the FIFOs are real named pipes that nobody writes to.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ProbeDeadlineIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** What {@code status --timeout 1} may take in all: the timeout and two seconds. */
    private static final Duration BOUND = TIMEOUT.plusSeconds(2);
    private static final String USER = System.getProperty("user.name");
    private static Path ssh;

    @TempDir
    Path dir;
    private OpenSshBastion bastion;
    private BannerServer target;
    private OwnedProcess forwards;
    private int forward;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ss", "install iproute2");
        Prerequisites.program("mkfifo", "install coreutils");
        ssh = Prerequisites.program("ssh", "install openssh-client");
    }

    @BeforeEach
    void startBastionTargetAndForward() throws Exception {
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        target = BannerServer.start();
        List<Integer> ports = new ArrayList<>();
        forwards = ReverseForwards.start(ssh, bastion, List.of(target.port()), ports, dir.resolve("logs"));
        forward = ports.get(0);
    }

    @AfterEach
    void stopAll() throws Exception {
        forwards.close();
        bastion.close();
        target.close();
    }

    @Test
    void aFifoAsTheKeyIsRefusedAtOnceAndTheOtherTunnelIsProbed() throws Exception {
        Path fifo = Fifo.make(dir.resolve("key-fifo"));

        List<ProbeOutcome> outcomes = probeWithinBound(tunnel(fifo, bastion.knownHosts(), Optional.empty()), healthy());

        assertCannotProbe(outcomes.get(0), "key " + fifo + " is not a regular file");
        assertThat(outcomes.get(1).result()).as(outcomes.get(1).detail()).isEqualTo(Result.TARGET_ANSWERED);
    }

    @Test
    void aFifoAsThePassphraseFileIsRefusedAtOnce() throws Exception {
        Path key = encryptedKey("secret");
        Path fifo = Fifo.make(dir.resolve("passphrase-fifo"));

        List<ProbeOutcome> outcomes = probeWithinBound(tunnel(key, bastion.knownHosts(), Optional.of(fifo)), healthy());

        assertCannotProbe(outcomes.get(0), "passphrase file " + fifo + " is not a regular file");
        assertThat(outcomes.get(1).result()).as(outcomes.get(1).detail()).isEqualTo(Result.TARGET_ANSWERED);
    }

    @Test
    void aDeviceAsThePassphraseFileIsRefusedAtOnce() throws Exception {
        Path key = encryptedKey("secret");
        Path endless = Path.of("/dev/zero");

        List<ProbeOutcome> outcomes = probeWithinBound(tunnel(key, bastion.knownHosts(), Optional.of(endless)), healthy());

        assertCannotProbe(outcomes.get(0), "passphrase file /dev/zero is not a regular file");
        assertThat(outcomes.get(1).result()).as(outcomes.get(1).detail()).isEqualTo(Result.TARGET_ANSWERED);
    }

    @Test
    void aFifoAsThePinnedHostKeysIsRefusedAtOnce() throws Exception {
        Path fifo = Fifo.make(dir.resolve("known_hosts-fifo"));

        List<ProbeOutcome> outcomes = probeWithinBound(tunnel(bastion.clientKey(), fifo, Optional.empty()), healthy());

        assertCannotProbe(outcomes.get(0), "pinned host keys " + fifo + " is not a regular file");
        assertThat(outcomes.get(1).result()).as(outcomes.get(1).detail()).isEqualTo(Result.TARGET_ANSWERED);
    }

    @Test
    void aPassphraseFileThatIsARegularFileStillWorks() throws Exception {
        Path key = encryptedKey("secret");
        Path passphrase = Files.writeString(dir.resolve("passphrase"), "secret\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));

        List<ProbeOutcome> outcomes = probeWithinBound(tunnel(key, bastion.knownHosts(), Optional.of(passphrase)));

        assertThat(outcomes.get(0).result()).as(outcomes.get(0).detail()).isEqualTo(Result.TARGET_ANSWERED);
    }

    private static void assertCannotProbe(ProbeOutcome outcome, String why) {
        assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.CANNOT_PROBE);
        assertThat(outcome.detail()).startsWith("cannot probe: ").contains(why);
    }

    /** Probes as {@code status --timeout 1} does, and fails if that takes longer than {@link #BOUND}. */
    private static List<ProbeOutcome> probeWithinBound(ForwardProbe.Tunnel... tunnels) {
        long start = System.nanoTime();
        List<ProbeOutcome> outcomes = assertTimeoutPreemptively(BOUND.plusSeconds(5),
                () -> new ForwardProbe(TIMEOUT).probeAll(List.of(tunnels)), "the probes hang");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("time the probes took").isLessThan(BOUND);
        return outcomes;
    }

    private ForwardProbe.Tunnel healthy() {
        return tunnel(bastion.clientKey(), bastion.knownHosts(), Optional.empty());
    }

    private ForwardProbe.Tunnel tunnel(Path key, Path knownHosts, Optional<Path> passphrase) {
        return new ForwardProbe.Tunnel(forward, BastionAddress.parse("127.0.0.1:" + bastion.port()), USER, key,
                knownHosts, Optional.of(new TargetAddress("127.0.0.1", target.port())), passphrase);
    }

    /** A key protected by {@code passphrase} that the bastion accepts. */
    private Path encryptedKey(String passphrase) throws Exception {
        Path key = dir.resolve("encrypted_key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "encrypted",
                "-f", key.toString()).redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0).as(output).isTrue();
        bastion.authorize(OpenSshBastion.publicKeyFile(key));
        return key;
    }
}
