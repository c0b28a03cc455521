package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.testing.Fifo;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.UnitDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckTest {
    @TempDir
    Path root;

    private TestMachine machine;
    private HealthCheck check;

    @BeforeEach
    void machine() {
        machine = new TestMachine(root);
        machine.knowsHost("bastion.example.com");
        ServiceStates states = new ServiceStates(new UnitDirectory(machine.layout().unitDirectory()), machine.services(),
                machine.clock());
        check = new HealthCheck(states, new ProbeTargets(machine.users()), machine.network(), machine.journal(),
                machine.clock());
    }

    private void setUp(int port, Path key) {
        machine.api().setup(SetupRequest.builder(port, "tunnel@bastion.example.com").key(key.toString())
                .verifyWithin(Duration.ofSeconds(2)).build());
    }

    @Test
    void aTunnelWhoseKeyBecameAFifoCannotBeProbedAndIsNeverHandedToTheProbes() throws Exception {
        Path key = machine.key("id_ed25519");
        setUp(2222, key);
        setUp(2223, machine.key("other_ed25519"));
        // the key's owner swaps it for a named pipe that nobody writes to: reading it would wait for ever
        Files.delete(key);
        Fifo.make(key);
        int probesBefore = machine.network().probed().size();

        List<TunnelStatus> checked = check.all(Duration.ofSeconds(1)).stream().map(InstalledTunnel::status).toList();

        assertThat(checked).extracting(TunnelStatus::port).containsExactly(2222, 2223);
        TunnelStatus fifoKey = checked.get(0);
        assertThat(fifoKey.health().health()).isEqualTo(Health.UNKNOWN);
        assertThat(fifoKey.health().detail()).isEqualTo("cannot probe: key " + key + " is not a regular file");
        assertThat(fifoKey.health().probe()).hasValueSatisfying(
                outcome -> assertThat(outcome.result()).isEqualTo(ProbeOutcome.Result.CANNOT_PROBE));
        assertThat(checked.get(1).health().health()).isEqualTo(Health.UP);
        assertThat(machine.network().probed().subList(probesBefore, machine.network().probed().size()))
                .extracting(t -> t.port()).containsExactly(2223);
    }
}
