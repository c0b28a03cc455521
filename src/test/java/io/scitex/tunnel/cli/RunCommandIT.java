package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.engine.NativeTunnel;
import io.scitex.tunnel.engine.TunnelListener;
import io.scitex.tunnel.engine.TunnelOptions;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Launcher;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/scitex-tunnel run} as a process, against real sshd: it stops cleanly on SIGTERM with status 0,
 * keeps its state file, says once that its port is taken and takes it when it frees up, reads a passphrase
 * from systemd's credentials directory, and refuses what can never work with one line and status 78 (EX_CONFIG,
 * which its unit does not restart).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunCommandIT {
    /** A JVM that starts on a busy machine, then connects. */
    private static final Duration UP = Duration.ofSeconds(40);

    @TempDir
    Path dir;
    private OpenSshBastion bastion;
    private BannerServer target;
    private Path runtime;
    private final List<AutoCloseable> owned = new ArrayList<>();

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ssh-keygen", "install openssh-client");
        Prerequisites.program("ss", "install iproute2");
    }

    @BeforeEach
    void startBastion() throws Exception {
        bastion = OpenSshBastion.start(dir.resolve("bastion"));
        target = BannerServer.start();
        runtime = Files.createDirectories(dir.resolve("runtime"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        bastion.close();
        target.close();
    }

    @Test
    void sigtermGivesUpTheForwardAndExitsZero() throws Exception {
        int port = Loopback.freePort();
        OwnedProcess run = own(run(port, bastion.clientKey(), Map.of()));
        awaitPath(port, run);
        Path stateFile = runtime.resolve(port + ".json");
        JsonNode state = await("state file shows the traffic").atMost(Duration.ofSeconds(5))
                .until(() -> json(stateFile), json -> json.get("bytes_from_target").asLong() > 0);
        assertThat(state.get("state").asText()).isEqualTo("up");
        assertThat(state.get("pid").asLong()).isEqualTo(run.pid());

        long signalled = System.nanoTime();
        run.handle().destroy(); // SIGTERM, as systemctl stop sends
        int exit = run.awaitExit(Duration.ofSeconds(15));
        long stoppedMillis = (System.nanoTime() - signalled) / 1_000_000;
        System.out.printf("[RunCommandIT] SIGTERM to exit: %d ms, status %d%n", stoppedMillis, exit);

        assertThat(exit).as(run.describe()).isZero();
        assertThat(Loopback.listeners(port)).as("the bastion no longer listens: the forward was given up").isEmpty();
        assertThat(run.stderr()).contains("tunnel " + port + ": up", "tunnel " + port + ": closed")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(json(stateFile).get("state").asText()).isEqualTo("closed");
    }

    @Test
    void aTakenPortIsReportedOnceAndTakenOverWhenFree() throws Exception {
        int port = Loopback.freePort();
        BannerServer otherTarget = own(BannerServer.start());
        NativeTunnel holder = own(NativeTunnel.start(TunnelSpec.builder().port(port)
                .bastion(BastionAddress.parse(System.getProperty("user.name") + "@127.0.0.1:" + bastion.port()))
                .target(new TargetAddress("127.0.0.1", otherTarget.port())).key(bastion.clientKey())
                .serviceUser(System.getProperty("user.name")).build(), TunnelOptions.of(bastion.knownHosts()),
                TunnelListener.NONE));
        assertThat(holder.awaitUp(Duration.ofSeconds(15))).isTrue();

        OwnedProcess run = own(run(port, bastion.clientKey(), Map.of()));
        String refusedAtBastion = "cannot listen to port: " + port;
        await("the bastion refused the port three times").atMost(UP).pollInterval(Duration.ofMillis(100))
                .until(() -> count(bastion.logText(), refusedAtBastion) >= 3);
        assertThat(count(run.stderr(), "refused to listen on localhost:" + port)).as(run.describe()).isEqualTo(1);

        holder.close();
        await("our target reached through the port").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> probe(port) && target.accepted() > 0);
        assertThat(count(run.stderr(), "tunnel " + port + ": up")).isEqualTo(1);
        assertThat(run.isAlive()).isTrue();
    }

    @Test
    void aPassphraseComesFromSystemdsCredentialsDirectory() throws Exception {
        Path key = dir.resolve("protected_key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "pass phrase", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0).isTrue();
        bastion.authorize(OpenSshBastion.publicKeyFile(key));
        Path credentials = Files.createDirectories(dir.resolve("credentials"));
        Files.writeString(credentials.resolve("passphrase"), "pass phrase\n");
        Files.setPosixFilePermissions(credentials.resolve("passphrase"), PosixFilePermissions.fromString("r--------"));
        int port = Loopback.freePort();

        OwnedProcess withoutPassphrase = own(run(port, key, Map.of()));
        assertThat(withoutPassphrase.awaitExit(UP)).isEqualTo(ExitCode.CONFIG);
        assertThat(withoutPassphrase.stderr().strip()).isEqualTo("scitex-tunnel: key " + key + " is protected by a"
                + " passphrase: give it in a file with --passphrase-file FILE (mode 600), or as the systemd credential"
                + " 'passphrase'");

        OwnedProcess run = own(run(port, key, Map.of("CREDENTIALS_DIRECTORY", credentials.toString())));
        awaitPath(port, run);
    }

    @Test
    void whatCanNeverWorkIsRefusedWithOneLineAndStatus78() throws Exception {
        int port = Loopback.freePort();
        Path emptyKnownHosts = Files.writeString(dir.resolve("empty_known_hosts"), "");

        OwnedProcess unpinned = own(Launcher.start("run", dir.resolve("logs"), Map.of("RUNTIME_DIRECTORY",
                runtime.toString()), "run", "-p", Integer.toString(port), "-b", "127.0.0.1:" + bastion.port(), "-s",
                bastion.clientKey().toString(), "--known-hosts", emptyKnownHosts.toString()));
        OwnedProcess missingKey = own(Launcher.start("run", dir.resolve("logs"), Map.of("RUNTIME_DIRECTORY",
                runtime.toString()), "run", "-p", Integer.toString(port), "-b", "127.0.0.1:" + bastion.port(), "-s",
                dir.resolve("no_such_key").toString(), "--known-hosts", bastion.knownHosts().toString()));

        assertThat(unpinned.awaitExit(UP)).isEqualTo(ExitCode.CONFIG);
        assertThat(unpinned.stderr().strip().lines()).singleElement().asString()
                .startsWith("scitex-tunnel: no host key of bastion [127.0.0.1]:" + bastion.port() + " is pinned in");
        assertThat(missingKey.awaitExit(UP)).isEqualTo(ExitCode.CONFIG);
        assertThat(missingKey.stderr().strip().lines()).singleElement().asString().contains("does not exist");
        assertThat(Files.readString(emptyKnownHosts)).isEmpty();
        assertThat(bastion.logText()).doesNotContain("Accepted publickey");
    }

    private OwnedProcess run(int port, Path key, Map<String, String> environment) throws IOException {
        Map<String, String> extra = new java.util.HashMap<>(environment);
        extra.put("RUNTIME_DIRECTORY", runtime.toString());
        return Launcher.start("run", dir.resolve("logs"), extra, "run", "-p", Integer.toString(port),
                "-b", System.getProperty("user.name") + "@127.0.0.1:" + bastion.port(), "-s", key.toString(),
                "--target", "127.0.0.1:" + target.port(), "--known-hosts", bastion.knownHosts().toString(),
                "--keepalive", "1", "--keepalive-count", "3");
    }

    private void awaitPath(int port, OwnedProcess run) {
        await("127.0.0.1:" + port + " reaches the target").atMost(UP).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    if (!run.isAlive()) {
                        throw new AssertionError("run exited\n" + run.describe() + "\n" + bastion.diagnostics());
                    }
                    return probe(port);
                });
    }

    private static boolean probe(int port) {
        try {
            return BannerServer.BANNER.equals(BannerServer.probe(port));
        } catch (IOException notYet) {
            return false;
        }
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
