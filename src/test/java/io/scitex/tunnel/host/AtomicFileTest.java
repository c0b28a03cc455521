package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private String[] names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void writesContentAsUtf8() throws Exception {
        Path target = dir.resolve("unit.service");

        AtomicFile.write(target, "[Unit]\nDescription=ключ 😀\n", AtomicFile.PUBLIC);

        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("[Unit]\nDescription=ключ 😀\n");
    }

    @Test
    void givesNewFileMode644() throws Exception {
        Path target = dir.resolve("known_hosts");

        AtomicFile.write(target, "x", AtomicFile.PUBLIC);

        assertThat(AtomicFile.PUBLIC).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(mode(target)).isEqualTo("rw-r--r--");
    }

    @Test
    void givesMode644EvenWhenReplacingAPrivateFile() throws Exception {
        Path target = Files.writeString(dir.resolve("unit.service"), "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));

        AtomicFile.write(target, "new", AtomicFile.PUBLIC);

        assertThat(mode(target)).isEqualTo("rw-r--r--");
    }

    @Test
    void appliesTheModeAsked() throws Exception {
        Path target = dir.resolve("secret");

        AtomicFile.write(target, "x", PosixFilePermissions.fromString("rw-------"));

        assertThat(mode(target)).isEqualTo("rw-------");
    }

    @Test
    void replacesExistingContentCompletely() throws Exception {
        Path target = Files.writeString(dir.resolve("unit.service"), "a much longer old content\n".repeat(100));

        AtomicFile.write(target, "short\n", AtomicFile.PUBLIC);

        assertThat(Files.readString(target)).isEqualTo("short\n");
    }

    @Test
    void replacesFileRatherThanWritingThroughIt() throws Exception {
        Path target = Files.writeString(dir.resolve("unit.service"), "old");
        Path hardLink = Files.createLink(dir.resolve("other-name"), target);

        AtomicFile.write(target, "new", AtomicFile.PUBLIC);

        assertThat(Files.readString(hardLink)).isEqualTo("old");
        assertThat(Files.readString(target)).isEqualTo("new");
    }

    @Test
    void leavesNoTemporaryFilesBehind() throws Exception {
        Path target = dir.resolve("unit.service");

        AtomicFile.write(target, "one", AtomicFile.PUBLIC);
        AtomicFile.write(target, "two", AtomicFile.PUBLIC);

        assertThat(names()).containsExactly("unit.service");
    }

    @Test
    void leavesNoTemporaryFileWhenReplacingFails() throws Exception {
        Path target = Files.createDirectory(dir.resolve("unit.service"));
        Files.writeString(target.resolve("inside"), "x");

        assertThatThrownBy(() -> AtomicFile.write(target, "new", AtomicFile.PUBLIC)).isInstanceOf(IOException.class);
        assertThat(names()).containsExactly("unit.service");
    }

    @Test
    void failsWhenDirectoryIsMissing() {
        assertThatThrownBy(() -> AtomicFile.write(dir.resolve("absent/unit.service"), "x", AtomicFile.PUBLIC))
                .isInstanceOf(IOException.class);
    }
}
