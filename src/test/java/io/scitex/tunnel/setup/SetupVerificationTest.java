package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.setup.PreflightCheck.Outcome;
import io.scitex.tunnel.status.HealthCheck;
import io.scitex.tunnel.status.ProbeTargets;
import io.scitex.tunnel.status.ServiceStates;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.AutosshCommandLine;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitProgram;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupVerificationTest {
    @TempDir
    Path root;

    private TestMachine machine;
    private TunnelSpec spec;
    private UnitInstaller installer;
    private SetupVerification verification;
    private final List<PreflightCheck> reported = new ArrayList<>();

    @BeforeEach
    void installedTunnel() {
        machine = new TestMachine(root);
        spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("tunnel@bastion.example.com"))
                .target(TargetAddress.LOCAL_SSHD).key(machine.key("id_ed25519")).serviceUser(machine.user().name())
                .build();
        UnitDirectory units = new UnitDirectory(machine.layout().unitDirectory());
        ServiceStates states = new ServiceStates(units, machine.services(), machine.clock());
        installer = new UnitInstaller(machine.layout(), units, machine.services());
        verification = new SetupVerification(states, new HealthCheck(states, new ProbeTargets(machine.users()),
                machine.network(), machine.journal(), machine.clock()), machine.clock());
    }

    private UnitInstaller.Installed install() {
        Path pins = installer.pinFile(2222);
        String unit = TunnelUnit.render(spec, UnitProgram.autossh(AutosshCommandLine.argv(Path.of("/usr/bin/autossh"),
                spec, pins), AutosshCommandLine.ENVIRONMENT), "test");
        return installer.install(2222, unit, "bastion.example.com " + TestMachine.publicKeyText() + "\n", Optional.empty());
    }

    private TunnelStatus verify(SetupRequest request) {
        UnitInstaller.Installed installed = install();
        return verification.verify(new Preflight(reported::add), spec, request, () -> installer.restore(installed));
    }

    private SetupRequest.Builder request() {
        return SetupRequest.builder(2222, "tunnel@bastion.example.com").verifyWithin(Duration.ofMillis(300));
    }

    private static ProbeOutcome missing() {
        return new ProbeOutcome(ProbeOutcome.Result.FORWARD_MISSING, "nothing listens on localhost:2222 on the bastion",
                Duration.ofMillis(5));
    }

    @Test
    void aTunnelThatWorksPassesTheTunnelCheckWithTheProbesEvidence() {
        TunnelStatus up = verify(request().build());

        assertThat(up.isUp()).isTrue();
        assertThat(reported).singleElement().satisfies(check -> {
            assertThat(check.name()).isEqualTo("tunnel");
            assertThat(check.outcome()).isEqualTo(Outcome.PASSED);
            assertThat(check.detail()).isEqualTo("localhost:2222 on the bastion reaches localhost:22: "
                    + "localhost:22 answered through the tunnel: SSH-2.0-OpenSSH_9.2p1");
        });
    }

    @Test
    void itKeepsProbingUntilTheTunnelComesUp() {
        AtomicInteger probes = new AtomicInteger();
        machine.network().probingEvery(tunnel -> probes.incrementAndGet() < 2 ? missing()
                : io.scitex.tunnel.testing.FakeBastionNetwork.up());

        TunnelStatus up = verify(request().verifyWithin(Duration.ofSeconds(5)).build());

        assertThat(up.isUp()).isTrue();
        assertThat(probes).hasValue(2);
    }

    @Test
    void withoutNetworkChecksItReportsSystemdsViewAndSkipsTheWait() {
        TunnelStatus started = verify(request().networkChecks(false).build());

        assertThat(started.state()).isEqualTo("active");
        assertThat(reported).extracting(PreflightCheck::outcome).containsExactly(Outcome.SKIPPED);
        assertThat(machine.network().calls()).isEmpty();
    }

    @Test
    void aTunnelThatStaysDownFailsWithTheProbesReasonAndTheJournalsAndStays() {
        machine.network().probing(2222, missing());
        machine.journal().add("autossh-tunnel-2222.service", JournalEvent.of(TestMachine.NOW.minusSeconds(5), 42,
                "Error: remote port forwarding failed for listen port 2222"));

        assertThatThrownBy(() -> verify(request().build())).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("the tunnel did not come up within 0 s: ")
                .hasMessageContaining("(journal: Error: remote port forwarding failed for listen port 2222)")
                .hasMessageEndingWith("(--rollback removes it instead)");
        assertThat(machine.tunnelFiles()).hasSize(2);
    }

    @Test
    void withRollbackATunnelThatStaysDownIsRemoved() {
        machine.network().probing(2222, missing());

        assertThatThrownBy(() -> verify(request().rollback(true).build()))
                .hasMessageEndingWith("; removed it again (--rollback)");
        assertThat(machine.tunnelFiles()).isEmpty();
        assertThat(machine.services().changes()).contains("disable --now autossh-tunnel-2222.service");
    }

    /** systemd's word that this start failed ends the wait at once, with what it said and the fix. */
    @Test
    void aServiceThatCannotStartFailsAtOnceWithSystemdsReasonAndTheFix() {
        AtomicInteger probes = new AtomicInteger();
        machine.network().probingEvery(tunnel -> {
            probes.incrementAndGet();
            return missing();
        });
        machine.journal().add("autossh-tunnel-2222.service", JournalEvent.of(TestMachine.NOW, 1,
                "autossh-tunnel-2222.service: Failed at step EXEC spawning /opt/fake/bin/autossh: No such file or directory"));

        assertThatThrownBy(() -> verify(request().verifyWithin(Duration.ofMinutes(10)).rollback(true).build()))
                .isInstanceOf(TunnelException.class)
                .hasMessage("the tunnel's service cannot start: autossh-tunnel-2222.service: Failed at step EXEC"
                        + " spawning /opt/fake/bin/autossh: No such file or directory; fix: /opt/fake/bin/autossh does"
                        + " not exist, or the service's sandbox hides it (ProtectHome= hides /home, /root and /run/user;"
                        + " PrivateTmp= hides /tmp), or it is a script whose #! interpreter does not exist: install it"
                        + " where the service sees it (e.g. /opt or /usr/local), then run setup again; removed it again"
                        + " (--rollback)");
        assertThat(probes).as("one check, not the whole wait").hasValue(1);
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    /** A failure logged before this setup's start returned (an earlier setup's) is no evidence about this start. */
    @Test
    void aStartFailureFromBeforeThisSetupDoesNotFailIt() {
        AtomicInteger probes = new AtomicInteger();
        machine.network().probingEvery(tunnel -> probes.incrementAndGet() < 3 ? missing()
                : io.scitex.tunnel.testing.FakeBastionNetwork.up());
        machine.journal().add("autossh-tunnel-2222.service", JournalEvent.of(TestMachine.NOW.minusMillis(1), 1,
                "autossh-tunnel-2222.service: Failed at step EXEC spawning /opt/fake/bin/autossh: No such file or directory"));

        TunnelStatus up = verify(request().verifyWithin(Duration.ofSeconds(10)).build());

        assertThat(up.isUp()).isTrue();
        assertThat(probes).as("it kept waiting past the old failure").hasValue(3);
    }
}
