package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.demo.DemoTarget;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.Launcher;
import io.scitex.tunnel.testing.OwnedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/scitex-tunnel demo}, as a first-time user runs it: no root needed, proof printed, nothing left. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class DemoCommandIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void theDemoProvesThePathPrintsStatusAndLeavesNothingBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        long started = System.nanoTime();
        try (OwnedProcess demo = Launcher.start("demo", dir.resolve("logs"), temporaryDirectory(tmp), "demo")) {
            int exit = demo.awaitExit(BOUND);
            System.out.printf("[DemoCommandIT] demo took %d ms (JVM included)%n%s",
                    (System.nanoTime() - started) / 1_000_000, demo.stdout());

            assertThat(exit).as(demo.describe()).isZero();
            assertThat(demo.stdout()).containsPattern("Tunnel up in \\d+ ms")
                    .contains("Path proved: a connection to 127.0.0.1:", "got the target's answer \""
                            + DemoTarget.BANNER + "\" and its echo back")
                    .containsPattern("Status: up since \\S+, reconnects 0, \\d+ bytes to the target, \\d+ bytes back")
                    .contains("sudo scitex-tunnel setup -p 2222 -b user@bastion.example.com");
            assertThat(demo.stderr()).doesNotContain("\tat ").doesNotContain("[WARN]").doesNotContain("[ERROR]");
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("files the demo left in its temporary directory").isEmpty();
        }
    }

    @Test
    void holdKeepsTheTunnelUpUntilInterrupted() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        try (OwnedProcess demo = Launcher.start("demo-hold", dir.resolve("logs"), temporaryDirectory(tmp), "demo",
                "--hold")) {
            Pattern nc = Pattern.compile("nc 127\\.0\\.0\\.1 (\\d+)");
            Matcher printed = await("the demo says how to connect").atMost(BOUND).pollInterval(Duration.ofMillis(100))
                    .until(() -> nc.matcher(demo.stdout()), Matcher::find);
            int port = Integer.parseInt(printed.group(1));

            assertThat(BannerServer.probe(port)).as("a connection to the held tunnel").isEqualTo(DemoTarget.BANNER);

            demo.handle().destroy(); // SIGTERM; Ctrl-C (SIGINT) takes the same way out
            assertThat(demo.awaitExit(Duration.ofSeconds(15))).as(demo.describe()).isZero();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("files the demo left in its temporary directory").isEmpty();
        }
    }

    /** Points the demo's JVM at a temporary directory of the test's, to see what it leaves there. */
    private static Map<String, String> temporaryDirectory(Path tmp) {
        return Map.of("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp);
    }
}
