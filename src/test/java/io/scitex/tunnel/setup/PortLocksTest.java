package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.setup.PortLocks.Purpose;
import io.scitex.tunnel.testing.PortLockHolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortLocksTest {
    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path root;

    private Path directory() {
        return root.resolve("run/locks");
    }

    private PortLocks locks(Duration patience) {
        return new PortLocks(directory(), patience);
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theLockFileIsRootOnlyAndNamesItsHolderUntilReleased() throws Exception {
        Path file = directory().resolve("2222.lock");
        try (PortLock lock = locks(Duration.ofSeconds(1)).acquire(2222, Purpose.SETUP)) {
            assertThat(lock.port()).isEqualTo(2222);
            assertThat(mode(directory())).isEqualTo("rwx------");
            assertThat(mode(file)).isEqualTo("rw-------");
            assertThat(Files.readString(file)).isEqualTo(PID + " setup\n");
        }
        assertThat(Files.readString(file)).isEmpty();
    }

    @Test
    void aSecondTakerWaitsForTheFirstAndGetsTheLockWhenItIsReleased() throws Exception {
        PortLocks locks = locks(Duration.ofSeconds(10));
        PortLock first = locks.acquire(2222, Purpose.SETUP);
        CompletableFuture<PortLock> second = CompletableFuture.supplyAsync(() -> locks.acquire(2222, Purpose.REMOVE));

        Thread.sleep(300);
        assertThat(second).isNotDone();
        first.close();

        try (PortLock taken = second.get(5, TimeUnit.SECONDS)) {
            assertThat(taken.port()).isEqualTo(2222);
            assertThat(Files.readString(directory().resolve("2222.lock"))).isEqualTo(PID + " remove\n");
        }
    }

    @Test
    void aSecondTakerGivesUpAfterItsPatienceNamingTheHolder() {
        PortLocks locks = locks(Duration.ofMillis(200));
        try (PortLock held = locks.acquire(2222, Purpose.SETUP)) {
            assertThat(held.port()).isEqualTo(2222);
            long start = System.nanoTime();

            assertThatThrownBy(() -> locks.acquire(2222, Purpose.REMOVE)).isInstanceOf(TunnelException.class)
                    .hasMessage("port 2222 is being set up by PID " + PID + "; try again once it has finished");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void portsAreLockedOneByOne() {
        PortLocks locks = locks(Duration.ofMillis(100));
        try (PortLock first = locks.acquire(2222, Purpose.SETUP); PortLock other = locks.acquire(2223, Purpose.SETUP)) {
            assertThat(first.port()).isEqualTo(2222);
            assertThat(other.port()).isEqualTo(2223);
        }
    }

    @Test
    void closingTwiceIsHarmlessAndLeavesTheNextHolderAlone() throws Exception {
        PortLocks locks = locks(Duration.ofMillis(100));
        PortLock lock = locks.acquire(2222, Purpose.SETUP);
        lock.close();
        try (PortLock next = locks.acquire(2222, Purpose.REMOVE)) {
            lock.close();
            assertThat(next.port()).isEqualTo(2222);

            assertThatThrownBy(() -> locks.acquire(2222, Purpose.SETUP)).hasMessageStartingWith("port 2222 is being removed");
        }
    }

    @Test
    void anotherProcessHoldingTheLockIsNamedByItsPid() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PortLockHolder.class.getName(), directory().toString(),
                "2222").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(said).isEqualTo("held 2222");

            assertThatThrownBy(() -> locks(Duration.ofMillis(300)).acquire(2222, Purpose.SETUP))
                    .isInstanceOf(TunnelException.class)
                    .hasMessage("port 2222 is being removed by PID " + holder.pid() + "; try again once it has finished");

            holder.getOutputStream().close();
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
            try (PortLock mine = locks(Duration.ofSeconds(1)).acquire(2222, Purpose.SETUP)) {
                assertThat(mine.port()).isEqualTo(2222);
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aLockHeldByAProcessThatDiedIsFree() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PortLockHolder.class.getName(), directory().toString(),
                "2222").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine()).isEqualTo("held 2222");
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        try (PortLock mine = locks(Duration.ofMillis(100)).acquire(2222, Purpose.SETUP)) {
            assertThat(mine.port()).isEqualTo(2222);
            assertThat(Files.readString(directory().resolve("2222.lock"))).isEqualTo(PID + " setup\n");
        }
    }

    @Test
    void aLooseLockDirectoryIsMadeRootOnlyAgain() throws Exception {
        Files.createDirectories(directory());
        Files.setPosixFilePermissions(directory(), PosixFilePermissions.fromString("rwxrwxrwx"));

        try (PortLock lock = locks(Duration.ofMillis(100)).acquire(2222, Purpose.SETUP)) {
            assertThat(lock.port()).isEqualTo(2222);
            assertThat(mode(directory())).isEqualTo("rwx------");
        }
    }

    @Test
    void aLockDirectoryThatIsALinkIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createDirectories(directory().getParent());
        Files.createSymbolicLink(directory(), elsewhere);

        assertThatThrownBy(() -> locks(Duration.ofMillis(100)).acquire(2222, Purpose.SETUP))
                .isInstanceOf(TunnelException.class)
                .hasMessage("cannot lock port 2222 in " + directory() + ": " + directory() + " is not a directory");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void aLockFileThatIsALinkIsRefused() throws Exception {
        Path target = Files.writeString(root.resolve("target"), "precious\n");
        Files.createDirectories(directory());
        Files.createSymbolicLink(directory().resolve("2222.lock"), target);

        assertThatThrownBy(() -> locks(Duration.ofMillis(100)).acquire(2222, Purpose.SETUP))
                .isInstanceOf(TunnelException.class).hasMessageStartingWith("cannot lock port 2222 in ");
        assertThat(Files.readString(target)).isEqualTo("precious\n");
    }
}
