package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.testing.Fifo;
import io.scitex.tunnel.testing.TestMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ForwardProbe} without a network: what it refuses to read, and its deadline for reading. */
class ForwardProbeTest {
    @TempDir
    Path dir;

    private ForwardProbe.Tunnel tunnel(Path key, Path knownHosts, Optional<Path> passphrase) {
        return new ForwardProbe.Tunnel(2222, BastionAddress.parse("127.0.0.1:1"), "tunnel", key, knownHosts,
                Optional.empty(), passphrase);
    }

    @Test
    void aProbeStuckReadingItsFilesIsGivenUpAtItsDeadline() throws Exception {
        // the key was a regular file when looked at, and a FIFO when read (its owner swapped them)
        Path key = new TestMachine(dir).key("id_ed25519");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        Path fifo = Fifo.make(dir.resolve("swapped-in"));
        ForwardProbe probe = new ForwardProbe(Duration.ofMillis(500), tunnel -> {
            try {
                Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new AssertionError("a FIFO without a writer ended");
        });

        long start = System.nanoTime();
        List<ProbeOutcome> outcomes = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> probe.probeAll(List.of(tunnel(key, knownHosts, Optional.empty()))), "the probe hangs");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.result()).isEqualTo(Result.CANNOT_PROBE);
            assertThat(outcome.detail()).startsWith("cannot probe: reading the tunnel's files (key " + key)
                    .contains("did not end within 1.5 s");
        });
        // The FIFO never ends: that the probe returned at all proves it gave the read up. The bound only says it did
        // so near its deadline (1.5 s), with room for a loaded machine; a wall-clock bound any tighter failed under
        // load without a fault in the probe.
        assertThat(took).as("given up near the probe's deadline").isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void filesThatAreNotRegularAreRefusedWithoutOpeningThem() throws Exception {
        Path key = new TestMachine(dir).key("id_ed25519");
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        Path fifo = Fifo.make(dir.resolve("fifo"));

        assertThat(tunnel(fifo, knownHosts, Optional.empty()).unusableFile())
                .hasValue("key " + fifo + " is not a regular file");
        assertThat(tunnel(key, knownHosts, Optional.of(Path.of("/dev/zero"))).unusableFile())
                .hasValue("passphrase file /dev/zero is not a regular file");
        assertThat(tunnel(key, dir, Optional.empty()).unusableFile())
                .hasValue("pinned host keys " + dir + " is not a regular file");
        assertThat(tunnel(key, dir.resolve("missing"), Optional.empty()).unusableFile())
                .hasValue("pinned host keys " + dir.resolve("missing") + " does not exist");
        assertThat(tunnel(key, knownHosts, Optional.empty()).unusableFile()).isEmpty();
    }

    @Test
    void aProbeThatCannotRunSaysCannotProbeWithWhyEscaped() {
        assertThat(ForwardProbe.cannotProbe("key /k\u001b[2J is odd", Duration.ZERO).detail())
                .isEqualTo("cannot probe: key /k\\x1b[2J is odd");
    }

    @Test
    void theTimeoutMustBePositive() {
        assertThatThrownBy(() -> new ForwardProbe(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
