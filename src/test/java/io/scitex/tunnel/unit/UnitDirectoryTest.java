package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void pathIsUnitNameInDirectory() {
        assertThat(new UnitDirectory(dir).path(2222)).isEqualTo(dir.resolve("autossh-tunnel-2222.service"));
    }

    @Test
    void writesPublicUnitAndReadsItBack() throws Exception {
        UnitDirectory units = new UnitDirectory(dir);

        units.write(2222, "[Unit]\n");

        assertThat(units.read(2222)).contains("[Unit]\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(units.path(2222)))).isEqualTo("rw-r--r--");
    }

    @Test
    void readOfMissingUnitIsEmpty() throws Exception {
        assertThat(new UnitDirectory(dir).read(2222)).isEmpty();
    }

    @Test
    void listsOnlyTunnelUnitsByPort() throws Exception {
        for (String name : new String[] {"autossh-tunnel-2223.service", "autossh-tunnel-22.service",
            "autossh-tunnel-0.service", "autossh-tunnel-70000.service", "autossh-tunnel-x.service", "sshd.service",
            "autossh-tunnel-2222.service.bak"}) {
            Files.writeString(dir.resolve(name), "");
        }

        assertThat(new UnitDirectory(dir).list()).containsExactly(
                org.assertj.core.api.Assertions.entry(22, dir.resolve("autossh-tunnel-22.service")),
                org.assertj.core.api.Assertions.entry(2223, dir.resolve("autossh-tunnel-2223.service")));
    }

    @Test
    void listOfMissingDirectoryIsEmpty() throws Exception {
        assertThat(new UnitDirectory(dir.resolve("absent")).list()).isEmpty();
    }

    @Test
    void deleteRemovesUnitAndSaysWhetherThereWasOne() throws Exception {
        UnitDirectory units = new UnitDirectory(dir);
        units.write(2222, "x");

        assertThat(units.delete(2222)).isTrue();
        assertThat(units.delete(2222)).isFalse();
        assertThat(units.path(2222)).doesNotExist();
    }

    @Test
    void aLinkToDevNullOrAnEmptyUnitIsMaskedAsSystemdReadsIt() throws Exception {
        UnitDirectory units = new UnitDirectory(dir);
        Files.createSymbolicLink(units.path(2222), Path.of("/dev/null"));
        Files.writeString(units.path(2223), "");
        units.write(2224, "[Unit]\n");

        assertThat(units.isMasked(2222)).isTrue();
        assertThat(units.isMasked(2223)).isTrue();
        assertThat(units.isMasked(2224)).isFalse();
        assertThat(units.isMasked(2225)).as("absent").isFalse();
    }

    @Test
    void writingReplacesAMaskAndMaskPutsItBack() throws Exception {
        UnitDirectory units = new UnitDirectory(dir);
        units.mask(2222);
        assertThat(Files.readSymbolicLink(units.path(2222))).isEqualTo(UnitDirectory.MASK);

        units.write(2222, "[Unit]\n");
        assertThat(Files.isSymbolicLink(units.path(2222))).as("the atomic rename replaces the link itself").isFalse();
        assertThat(units.isMasked(2222)).isFalse();

        units.mask(2222);
        assertThat(Files.readSymbolicLink(units.path(2222))).isEqualTo(UnitDirectory.MASK);
        assertThat(units.isMasked(2222)).isTrue();
    }

    @Test
    void dropInsAreTheConfFilesOfTheUnitsOwnDirectoryInNameOrder() throws Exception {
        UnitDirectory units = new UnitDirectory(dir);
        assertThat(units.dropIns(2222)).isEmpty();
        Path dropIns = Files.createDirectories(dir.resolve("autossh-tunnel-2222.service.d"));
        for (String name : new String[] {"50-b.conf", "10-a.conf", "notes.txt", "override.conf~"}) {
            Files.writeString(dropIns.resolve(name), "[Service]\n");
        }
        Files.createDirectories(dir.resolve("autossh-tunnel-2223.service.d")).resolve("x.conf").toFile().createNewFile();

        assertThat(units.dropInDirectory(2222)).isEqualTo(dropIns);
        assertThat(units.dropIns(2222)).containsExactly(dropIns.resolve("10-a.conf"), dropIns.resolve("50-b.conf"));
        assertThat(units.list()).as("a drop-in directory is not a unit").isEmpty();
    }

    @Test
    void writableOnlyIfDirectoryExists() {
        assertThat(new UnitDirectory(dir).isWritable()).isTrue();
        assertThat(new UnitDirectory(dir.resolve("absent")).isWritable()).isFalse();
    }
}
