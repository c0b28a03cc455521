package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.Health;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.setup.PreflightCheck;
import io.scitex.tunnel.setup.RemoveResult;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.testing.TestMachine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * A user's own tunnels are for users: root is told before any check that root's are system tunnels; a user
     * on this machine (which has no loginctl, so no linger) fails at the linger step. Neither writes anything.
     */
    @Test
    void aUserScopeSetupRefusedWritesNothing() {
        TestMachine machine = new TestMachine(root);
        machine.key("id_ed25519");
        SystemLayout layout = SystemLayout.user(machine.user(), Map.of());
        ScitexTunnel own = new ScitexTunnel(layout, machine.runner(), machine.programs(), Map.of(),
                machine.services(), machine.journal(), machine.network(), Optional::empty, machine.clock());
        List<PreflightCheck> reported = new ArrayList<>();
        SetupRequest request = SetupRequest.of(2222, "tunnel@bastion.example.com",
                machine.user().home().resolve(".ssh/id_ed25519").toString());

        if (machine.user().isRoot()) {
            assertThatThrownBy(() -> own.setup(request, reported::add)).isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("--user sets up a tunnel of your own, without root");
            assertThat(reported).isEmpty();
        } else {
            assertThatThrownBy(() -> own.setup(request, reported::add)).isInstanceOf(TunnelException.class)
                    .hasMessageContaining("ask an administrator to run `sudo loginctl enable-linger");
            assertThat(reported.get(reported.size() - 1).name()).isEqualTo("linger");
        }
        assertThat(machine.services().changes()).isEmpty();
        assertThat(layout.unitDirectory()).doesNotExist();
        assertThat(own.scope()).isEqualTo(ServiceScope.USER);
        assertThat(own.lingerWarning()).as("no loginctl here: not lingering").isPresent();
    }
}
