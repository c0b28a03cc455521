package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.setup.RemoveResult;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.testing.TestMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade's operations, one after another, on a machine made of fakes: each reaches the right worker. */
class ScitexTunnelOverFakesTest {
    @TempDir
    Path root;

    @Test
    void setupStatusCheckDoctorAndRemoveWorkOnOneTunnel() {
        TestMachine machine = new TestMachine(root);
        Path key = machine.key("id_ed25519");
        machine.knowsHost("bastion.example.com");
        ScitexTunnel api = machine.api();

        api.setup(SetupRequest.builder(2222, "tunnel@bastion.example.com").key(key.toString())
                .verifyWithin(Duration.ofSeconds(2)).build());

        TunnelStatus listed = api.status(2222);
        assertThat(listed.bastion()).hasValue("tunnel@bastion.example.com");
        assertThat(listed.target()).hasValue("localhost:22");
        assertThat(api.status()).singleElement().extracting(TunnelStatus::port).isEqualTo(2222);

        assertThat(api.check(2222, Duration.ofSeconds(1)).health().health()).isEqualTo(Health.UP);
        assertThat(api.check(Duration.ofSeconds(1))).singleElement().satisfies(t -> assertThat(t.isUp()).isTrue());

        assertThat(api.doctor(Optional.of(2222), Duration.ofSeconds(1))).singleElement()
                .extracting(Diagnosis::status).extracting(TunnelStatus::port).isEqualTo(2222);

        RemoveResult removed = api.remove(2222);
        assertThat(removed.deleted()).hasSize(2);
        assertThat(machine.tunnelFiles()).isEmpty();
        assertThatThrownBy(() -> api.status(2222)).isInstanceOf(NoSuchTunnelException.class);
        assertThat(api.status()).isEmpty();
    }
}
