package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rw-------", "r--------", "rwx------", "---------"})
    void whatOnlyTheOwnerMayTouchIsPrivate(String mode) {
        assertThat(PrivateFile.isOpenToGroupOrOthers(PosixFilePermissions.fromString(mode))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw--w----", "rw---x---", "rw----r--", "rw-----w-", "rw------x", "rw-r--r--"})
    void anyAccessOfGroupOrOthersIsOpen(String mode) {
        assertThat(PrivateFile.isOpenToGroupOrOthers(PosixFilePermissions.fromString(mode))).isTrue();
    }

    @Test
    void theModesTheToolWritesArePrivate() {
        assertThat(PosixFilePermissions.toString(PrivateFile.MODE)).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(PrivateFile.DIRECTORY_MODE)).isEqualTo("rwx------");
        assertThat(PrivateFile.isOpenToGroupOrOthers(PrivateFile.MODE)).isFalse();
        assertThat(PrivateFile.isOpenToGroupOrOthers(PrivateFile.DIRECTORY_MODE)).isFalse();
    }

    @Test
    void aFileIsJudgedByItsOwnMode() throws Exception {
        Path file = Files.writeString(dir.resolve("passphrase"), "secret\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(PrivateFile.isOpenToGroupOrOthers(file)).isFalse();

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(PrivateFile.isOpenToGroupOrOthers(file)).isTrue();
    }

    @Test
    void aSymlinkIsJudgedByItsTarget() throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "k");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);

        assertThat(PrivateFile.isOpenToGroupOrOthers(link)).isFalse();
    }
}
