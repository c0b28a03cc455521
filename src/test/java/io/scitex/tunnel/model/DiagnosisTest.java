package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiagnosisTest {
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");
    private static final Diagnosis.Facts FINE = new Diagnosis.Facts(Optional.empty(), true, Optional.empty(), true,
            Optional.empty());

    private static TunnelStatus status(String state, TunnelHealth health) {
        return new TunnelStatus(2222, "autossh-tunnel-2222.service", Optional.of("user@bastion"),
                Optional.of("localhost:22"), state, "running", Optional.of(NOW), 0, Optional.of(NOW), health);
    }

    private static TunnelHealth health(Health health, String detail, Optional<JournalEvent> lastError,
                                       Optional<ProbeOutcome> probe) {
        return new TunnelHealth(health, detail, NOW, lastError, probe);
    }

    private static Finding finding(Diagnosis diagnosis, String subject) {
        return diagnosis.findings().stream().filter(f -> f.subject().equals(subject)).findFirst().orElseThrow();
    }

    @Test
    void aWorkingTunnelIsHealthyWithNothingToFix() {
        Diagnosis diagnosis = Diagnosis.of(status("active", health(Health.UP, "localhost:22 answered", Optional.empty(),
                Optional.empty())), FINE);

        assertThat(diagnosis.healthy()).isTrue();
        assertThat(diagnosis.findings()).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.OK);
            assertThat(f.fix()).isEmpty();
        });
        assertThat(finding(diagnosis, "tunnel").text()).isEqualTo("works end to end: localhost:22 answered");
    }

    @Test
    void aRefusedForwardPointsAtTheBastionsClientAliveSettings() {
        JournalEvent refused = JournalEvent.of(NOW, 7, "Error: remote port forwarding failed for listen port 2222");
        Diagnosis diagnosis = Diagnosis.of(status("active", health(Health.DOWN, "the bastion refused to forward port 2222",
                Optional.of(refused), Optional.empty())), FINE);

        assertThat(diagnosis.healthy()).isFalse();
        assertThat(finding(diagnosis, "tunnel").fix()).contains("held on the bastion", "ClientAliveInterval 2",
                "bastion sshd-config --apply");
        assertThat(diagnosis.findings()).anySatisfy(f -> assertThat(f.text()).contains("refused port 2222 recently"));
    }

    @Test
    void aChangedHostKeyIsAPossibleManInTheMiddleWithBothFingerprints() {
        ProbeOutcome probe = new ProbeOutcome(ProbeOutcome.Result.HOST_KEY_CHANGED, "changed", Duration.ofMillis(5),
                Optional.of(new ProbeOutcome.HostKeyMismatch("ssh-ed25519 SHA256:old", "ssh-ed25519 SHA256:new")));
        Diagnosis diagnosis = Diagnosis.of(status("active", health(Health.DOWN, "changed", Optional.empty(),
                Optional.of(probe))), FINE);

        Finding tunnel = finding(diagnosis, "tunnel");
        assertThat(tunnel.severity()).isEqualTo(Finding.Severity.PROBLEM);
        assertThat(tunnel.text()).startsWith("bastion host key changed \u2014 possible man-in-the-middle")
                .contains("SHA256:old", "SHA256:new");
        assertThat(tunnel.fix()).contains("out of band").doesNotContain("accept-new");
    }

    @Test
    void aStoppedServiceAKeyProblemAndAnUnreachableBastionAreProblemsWithFixes() {
        Diagnosis diagnosis = Diagnosis.of(status("failed", health(Health.DOWN, "service failed", Optional.empty(),
                Optional.empty())), new Diagnosis.Facts(Optional.of("key /k is accessible by group or others: chmod 600 /k"),
                true, Optional.of("bastion b does not accept connections on port 22"), true, Optional.empty()));

        assertThat(finding(diagnosis, "service").fix()).contains("systemctl restart autossh-tunnel-2222.service");
        assertThat(finding(diagnosis, "key").text()).contains("chmod 600");
        assertThat(finding(diagnosis, "bastion").severity()).isEqualTo(Finding.Severity.PROBLEM);
    }

    @Test
    void aDegradedTunnelSaysToStartTheTarget() {
        Diagnosis diagnosis = Diagnosis.of(status("active", health(Health.DEGRADED, "target refused", Optional.empty(),
                Optional.empty())), FINE);

        assertThat(finding(diagnosis, "tunnel").fix()).contains("start the service", "localhost:22");
    }

    @Test
    void anUnsandboxedUnitAndAPublicBindAddressAreAdviceNotProblems() {
        Diagnosis diagnosis = Diagnosis.of(status("active", health(Health.UP, "ok", Optional.empty(), Optional.empty())),
                new Diagnosis.Facts(Optional.empty(), true, Optional.empty(), false, Optional.of("0.0.0.0")));

        assertThat(diagnosis.healthy()).isTrue();
        assertThat(diagnosis.findings()).anySatisfy(f -> assertThat(f.fix()).contains("GatewayPorts clientspecified"))
                .anySatisfy(f -> assertThat(f.text()).contains("not sandboxed"));
    }

    @Test
    void eachDropInIsAdviceToCheckItWithTheCommandsThatShowAndUndoIt() {
        Path edited = Path.of("/etc/systemd/system/autossh-tunnel-2222.service.d/override.conf");
        Path hostile = Path.of("/run/systemd/system/autossh-tunnel-2222.service.d/x\n\u001b[2Jy.conf");
        TunnelStatus changed = status("active", health(Health.UP, "ok", Optional.empty(), Optional.empty()))
                .withDropIns(List.of(edited, hostile));

        Diagnosis diagnosis = Diagnosis.of(changed, FINE);

        assertThat(diagnosis.healthy()).as("advice only").isTrue();
        assertThat(diagnosis.findings()).filteredOn(f -> f.text().contains("drop-in")).hasSize(2).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Finding.Severity.ADVICE);
            assertThat(f.subject()).isEqualTo("unit");
            assertThat(f.fix()).contains("systemctl cat autossh-tunnel-2222.service", "systemctl daemon-reload");
            assertThat(f.text()).doesNotContain("\n", "\u001b");
        });
        assertThat(diagnosis.findings()).anySatisfy(f -> assertThat(f.text()).startsWith("the drop-in " + edited
                + " changes autossh-tunnel-2222.service beyond what its unit file says"));
        assertThat(Diagnosis.of(status("active", health(Health.UP, "ok", Optional.empty(), Optional.empty())), FINE)
                .findings()).noneMatch(f -> f.text().contains("drop-in"));
    }

    @Test
    void aLoopbackBindAddressNeedsNoAdvice() {
        Diagnosis diagnosis = Diagnosis.of(status("active", health(Health.UP, "ok", Optional.empty(), Optional.empty())),
                new Diagnosis.Facts(Optional.empty(), true, Optional.empty(), true, Optional.of("localhost")));

        assertThat(diagnosis.findings()).noneSatisfy(f -> assertThat(f.fix()).contains("GatewayPorts"));
    }

    @Test
    void anUncheckableKeyAsksForSudo() {
        Diagnosis diagnosis = Diagnosis.of(status("active", health(Health.UNKNOWN, "key not readable", Optional.empty(),
                Optional.empty())), new Diagnosis.Facts(Optional.empty(), false, Optional.empty(), true, Optional.empty()));

        assertThat(finding(diagnosis, "key").fix()).isEqualTo("run doctor with sudo");
        assertThat(finding(diagnosis, "tunnel").severity()).isEqualTo(Finding.Severity.ADVICE);
    }
}
