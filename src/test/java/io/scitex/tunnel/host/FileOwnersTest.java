package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The owner and mode the file system reports, and who else may change a file. */
class FileOwnersTest {
    @TempDir
    Path dir;

    @Test
    void reportsTheOwnerAndModeOfAFileAndNotOfWhatALinkPointsTo() throws Exception {
        Path file = Files.writeString(dir.resolve("jar"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        int uid = (Integer) Files.getAttribute(file, "unix:uid");

        FileOwner owner = new FileOwners().of(file).orElseThrow();

        assertThat(owner.uid()).isEqualTo(uid);
        assertThat(owner.mode() & 07777).isEqualTo(0664);
        assertThat(owner.othersMayChange()).isTrue();
        assertThat(new FileOwners().of(link).orElseThrow().mode() & 0170000).as("a link's own type").isEqualTo(0120000);
        assertThat(new FileOwners().real(link)).isEqualTo(file.toRealPath());
        assertThat(new FileOwners().of(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void onlyTheOwnerMayChangeAFileOrDirectoryWithoutGroupOrOthersWrite() {
        assertThat(new FileOwner(0, 0, 0100644).othersMayChange()).isFalse();
        assertThat(new FileOwner(0, 0, 0040755).othersMayChange()).isFalse();
        assertThat(new FileOwner(0, 0, 0040775).othersMayChange()).isTrue();
        assertThat(new FileOwner(0, 0, 0100646).othersMayChange()).isTrue();
        assertThat(new FileOwner(0, 0, 0041777).othersMayChange()).as("sticky directory").isFalse();
        assertThat(new FileOwner(0, 0, 0101777).othersMayChange()).as("sticky bit on a file means nothing").isTrue();
    }
}
