package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.UnitDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceStatesTest {
    @TempDir
    Path root;

    @Test
    void eachTunnelCarriesTheDropInsThatChangeItsUnit() throws Exception {
        TestMachine machine = new TestMachine(root);
        UnitDirectory units = new UnitDirectory(machine.layout().unitDirectory());
        units.write(2222, "[Unit]\n");
        units.write(2223, "[Unit]\n");
        Path waiting = Files.createDirectories(units.dropInDirectory(2222)).resolve("override.conf");
        Files.writeString(waiting, "[Service]\n");
        machine.services().dropIns(2222, "/etc/systemd/system.control/autossh-tunnel-2222.service.d/50-CPUWeight.conf");
        ServiceStates states = new ServiceStates(units, machine.services(), machine.clock());

        TunnelStatus changed = states.of(2222);

        assertThat(changed.dropIns()).containsExactly(
                Path.of("/etc/systemd/system.control/autossh-tunnel-2222.service.d/50-CPUWeight.conf"), waiting);
        assertThat(states.all()).extracting(TunnelStatus::port, s -> s.dropIns().size())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2222, 2), org.assertj.core.groups.Tuple.tuple(2223, 0));
        assertThat(machine.services().calls()).last().asString().startsWith("show");
    }

    @Test
    void parsesUnixTimestampsOfSystemctl() {
        assertThat(ServiceStates.parseTimestamp("@1700000000")).contains(Instant.ofEpochSecond(1_700_000_000L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "@", "@abc", "Tue 2023-11-14 22:13:20 UTC", "1700000000"})
    void treatsOtherTimestampsAsNever(String value) {
        assertThat(ServiceStates.parseTimestamp(value)).isEmpty();
    }

    @Test
    void treatsMissingTimestampAsNever() {
        assertThat(ServiceStates.parseTimestamp(null)).isEmpty();
    }
}
