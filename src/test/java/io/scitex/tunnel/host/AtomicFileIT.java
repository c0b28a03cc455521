package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full disk, for real: a 64 KiB tmpfs mounted for the test. The kernel writes what still fits and returns a
 * short count before it says "No space left on device"; a file cut short there must never replace the old one.
 */
class AtomicFileIT {
    private static final CommandRunner RUNNER = new CommandRunner();
    private Path mountPoint;

    @BeforeEach
    void tinyDisk() throws IOException {
        Prerequisites.requireRoot("mounting a tmpfs");
        mountPoint = Files.createTempDirectory("scitex-full-disk-");
        CommandResult mount = RUNNER.run(List.of("mount", "-t", "tmpfs", "-o", "size=64k,mode=700", "tmpfs",
                mountPoint.toString()));
        assertThat(mount.succeeded()).as("mount: %s", mount.stderr()).isTrue();
    }

    @AfterEach
    void unmount() throws IOException {
        if (mountPoint != null) {
            RUNNER.run(List.of("umount", mountPoint.toString()));
            Files.deleteIfExists(mountPoint);
        }
    }

    @Test
    void onAFullDiskTheOldFileStaysByteIdenticalAndNoTemporaryFileIsLeft() throws Exception {
        Path target = mountPoint.resolve("autossh-tunnel-2222.service");
        byte[] old = "[Unit]\nDescription=the tunnel as it was\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(target, old);
        long free = Files.getFileStore(mountPoint).getUsableSpace();
        // Leaves two pages: the new content's first 8 KiB fit, the rest does not.
        Files.write(mountPoint.resolve("filler"), new byte[(int) (free - 8192)]);

        assertThatThrownBy(() -> AtomicFile.write(target, "#".repeat(20_000), AtomicFile.PUBLIC))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot write " + target + ": No space left on device");

        assertThat(Files.readAllBytes(target)).isEqualTo(old);
        assertThat(names()).containsExactly("autossh-tunnel-2222.service", "filler");
    }

    @Test
    void aFileThatFitsIsWrittenWhole() throws Exception {
        Path target = mountPoint.resolve("known_hosts");
        Files.write(mountPoint.resolve("filler"), new byte[(int) (Files.getFileStore(mountPoint).getUsableSpace() - 8192)]);

        AtomicFile.write(target, "#".repeat(8000), AtomicFile.PUBLIC);

        assertThat(Files.readString(target)).isEqualTo("#".repeat(8000));
        assertThat(names()).containsExactly("filler", "known_hosts");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(mountPoint)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
