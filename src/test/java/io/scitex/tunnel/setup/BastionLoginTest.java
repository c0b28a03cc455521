package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.setup.PreflightCheck.Outcome;
import io.scitex.tunnel.ssh.BastionCheckException;
import io.scitex.tunnel.ssh.BastionSession;
import io.scitex.tunnel.ssh.HostKeySource;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.ssh.TrustedHostKeys;
import io.scitex.tunnel.status.ServiceStates;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.UnitDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BastionLoginTest {
    @TempDir
    Path root;

    private TestMachine machine;
    private TunnelSpec spec;
    private TrustedHostKeys hostKeys;
    private final List<PreflightCheck> reported = new ArrayList<>();

    @BeforeEach
    void tunnel() {
        machine = new TestMachine(root);
        Path key = machine.key("id_ed25519");
        spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("bastion.example.com:2200"))
                .target(TargetAddress.LOCAL_SSHD).key(key).serviceUser(machine.user().name()).build();
        String[] line = TestMachine.publicKeyText().split(" ");
        hostKeys = new TrustedHostKeys(List.of(new SshPublicKey(line[0], line[1])), HostKeySource.KNOWN_HOSTS,
                "~/.ssh/known_hosts");
    }

    private void check() {
        ServiceStates states = new ServiceStates(new UnitDirectory(machine.layout().unitDirectory()), machine.services(),
                machine.clock());
        new BastionLogin(states, machine.network()).check(new Preflight(reported::add), spec, machine.user(), hostKeys,
                Optional.empty());
    }

    @Test
    void logsInAsTheServiceUserWhenTheBastionNamesNoneAndAsksForThePort() {
        check();

        assertThat(machine.network().calls()).containsExactly(
                "login " + machine.user().name() + "@[bastion.example.com]:2200", "listen 2222", "logout");
        assertThat(reported).extracting(PreflightCheck::name, PreflightCheck::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("login", Outcome.PASSED),
                        org.assertj.core.groups.Tuple.tuple("port", Outcome.PASSED));
        assertThat(reported.get(1).detail()).isEqualTo("port 2222 is free on the bastion's loopback");
    }

    @Test
    void theLoginTrustsExactlyTheGivenHostKeysInATemporaryFileDeletedAfterwards() {
        check();

        assertThat(machine.network().lastKnownHostsContent())
                .isEqualTo(hostKeys.knownHostsFile("[bastion.example.com]:2200"));
        assertThat(machine.network().lastKnownHosts()).doesNotExist();
    }

    @Test
    void aTakenPortFailsWithWhatToDo() {
        machine.network().portTaken(2222);

        assertThatThrownBy(this::check).isInstanceOf(TunnelException.class)
                .hasMessage("port 2222 is taken on the bastion (by another program, or by a dead session it has not"
                        + " dropped yet): choose another port, or free it on the bastion");
        assertThat(machine.network().calls()).endsWith("logout");
    }

    @Test
    void aRefusedLoginIsTheLoginCheckFailing() {
        machine.network().refusingLogin(new BastionCheckException(BastionSession.Step.HOST_KEY,
                "the host key of bastion [bastion.example.com]:2200 does not match the pinned one", null));

        assertThatThrownBy(this::check).hasMessageStartingWith("the host key of bastion");
        assertThat(reported).extracting(PreflightCheck::outcome).containsExactly(Outcome.FAILED);
        assertThat(machine.network().lastKnownHosts()).doesNotExist();
    }
}
