package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramsTest {
    @TempDir
    Path dir;

    @Test
    void findsShAsAbsoluteExecutable() {
        assertThat(new Programs().find("sh")).hasValueSatisfying(sh -> {
            assertThat(sh).isAbsolute().isExecutable().hasFileName("sh");
        });
    }

    @Test
    void doesNotFindMissingProgram() {
        assertThat(new Programs().find("no-such-program-xyz")).isEmpty();
    }

    @Test
    void searchesSystemDirectoriesEvenWithoutPath() {
        assertThat(new Programs(null).find("sh")).isPresent();
        assertThat(new Programs("").find("sh")).isPresent();
    }

    @Test
    void searchesPathBeforeSystemDirectories() throws Exception {
        Path tool = executable("sh");

        assertThat(new Programs(dir.toString()).find("sh")).contains(tool);
    }

    @Test
    void skipsRelativePathEntries() throws Exception {
        executable("scitex-test-tool");

        assertThat(new Programs("relative/dir:.").find("scitex-test-tool")).isEmpty();
        assertThat(new Programs("relative/dir:" + dir).find("scitex-test-tool")).contains(dir.resolve("scitex-test-tool"));
    }

    @Test
    void skipsFilesThatAreNotExecutable() throws Exception {
        Files.writeString(dir.resolve("scitex-test-tool"), "#!/bin/sh\n");

        assertThat(new Programs(dir.toString()).find("scitex-test-tool")).isEmpty();
    }

    @Test
    void skipsDirectories() throws Exception {
        Files.createDirectory(dir.resolve("scitex-test-tool"));

        assertThat(new Programs(dir.toString()).find("scitex-test-tool")).isEmpty();
    }

    private Path executable(String name) throws Exception {
        Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
