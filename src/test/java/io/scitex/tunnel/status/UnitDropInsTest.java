package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.unit.UnitDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitDropInsTest {
    private static final String UNIT_D = "autossh-tunnel-2222.service.d";

    @TempDir
    Path dir;

    @Test
    void systemctlsListIsSplitAtEachConfEvenWhereAPathHasASpace() {
        assertThat(UnitDropIns.parse("/etc/systemd/system/" + UNIT_D + "/a b.conf /run/systemd/system/" + UNIT_D
                + "/c.conf")).containsExactly(Path.of("/etc/systemd/system/" + UNIT_D + "/a b.conf"),
                Path.of("/run/systemd/system/" + UNIT_D + "/c.conf"));
        assertThat(UnitDropIns.parse("")).isEmpty();
        assertThat(UnitDropIns.parse("  ")).isEmpty();
        assertThat(UnitDropIns.parse("relative.conf /x/y.conf")).containsExactly(Path.of("/x/y.conf"));
    }

    @Test
    void theDropInsAreThoseSystemdLoadedAndThoseWaitingOnDiskOnceEachInPathOrder() throws Exception {
        UnitDirectory units = new UnitDirectory(dir);
        Path waiting = Files.createDirectories(units.dropInDirectory(2222)).resolve("override.conf");
        Files.writeString(waiting, "[Service]\n");

        List<Path> dropIns = new UnitDropIns(units).of(2222, Map.of(UnitDropIns.PROPERTY,
                "/run/systemd/system/" + UNIT_D + "/r.conf " + waiting));

        assertThat(dropIns).containsExactly(Path.of("/run/systemd/system/" + UNIT_D + "/r.conf"), waiting);
        assertThat(new UnitDropIns(units).of(2223, Map.of())).isEmpty();
    }

    @Test
    void onlyThoseInTheUnitsOwnDirectoryBelongToIt() {
        List<Path> dropIns = List.of(Path.of("/etc/systemd/system/" + UNIT_D + "/a.conf"),
                Path.of("/usr/lib/systemd/system/service.d/10-timeout.conf"),
                Path.of("/etc/systemd/system/autossh-tunnel-.service.d/all.conf"),
                Path.of("/etc/systemd/system/autossh-tunnel-22220.service.d/b.conf"));

        assertThat(UnitDropIns.ofThisUnitOnly(dropIns, 2222)).containsExactly(dropIns.get(0));
    }
}
