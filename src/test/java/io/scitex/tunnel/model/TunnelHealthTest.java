package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TunnelHealthTest {
    private static final Instant NOW = Instant.parse("2026-11-25T01:00:00Z");
    private static final Optional<TunnelJournal> RUNNING = Optional.of(TunnelJournal.of(List.of(
            JournalEvent.of(NOW.minusSeconds(60), 10, "ssh child pid is 11"))));
    private static final Optional<TunnelJournal> REFUSED = Optional.of(TunnelJournal.of(List.of(
            JournalEvent.of(NOW.minusSeconds(2), 10, "ssh child pid is 12"),
            JournalEvent.of(NOW.minusSeconds(1), 12, "Error: remote port forwarding failed for listen port 2222"))));

    private static Optional<ProbeOutcome> probe(Result result) {
        return Optional.of(new ProbeOutcome(result, "probe says " + result, Duration.ofMillis(25)));
    }

    @ParameterizedTest
    @CsvSource({
        "TARGET_ANSWERED, UP", "TARGET_CLOSED, DEGRADED", "TARGET_SILENT, DEGRADED", "FORWARD_MISSING, DOWN",
        "BASTION_UNREACHABLE, DOWN", "HOST_KEY_UNKNOWN, DOWN", "AUTH_REJECTED, DOWN", "PROBE_REFUSED, UNKNOWN",
        "CANNOT_PROBE, UNKNOWN"})
    void withAQuietJournalTheProbeDecides(Result result, Health expected) {
        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(result), RUNNING, NOW);

        assertThat(health.health()).isEqualTo(expected);
        assertThat(health.detail()).isEqualTo("probe says " + result);
        assertThat(health.checkedAt()).isEqualTo(NOW);
        assertThat(health.probeDuration()).hasValue(Duration.ofMillis(25));
    }

    @Test
    void aRefusedForwardIsDownEvenWhenSomethingElseAnswersOnTheBastionsPort() {
        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.TARGET_ANSWERED), REFUSED, NOW);

        assertThat(health.health()).isEqualTo(Health.DOWN);
        assertThat(health.detail()).contains("refused to forward port 2222", "taken");
        assertThat(health.lastError().orElseThrow().message()).contains("remote port forwarding failed");
    }

    /** autossh's new attempt after a refusal, started {@code secondsAgo} before the check. */
    private static Optional<TunnelJournal> retryingAfterARefusal(double secondsAgo) {
        Instant retry = NOW.minusMillis((long) (secondsAgo * 1000));
        return Optional.of(TunnelJournal.of(List.of(
                JournalEvent.of(retry.minusSeconds(3), 10, "ssh child pid is 12"),
                JournalEvent.of(retry.minusMillis(2700), 12, "Error: remote port forwarding failed for listen port 2222"),
                JournalEvent.of(retry.minusMillis(2700), 10, "ssh exited with error status 255; restarting ssh"),
                JournalEvent.of(retry, 10, "ssh child pid is 13"))));
    }

    @Test
    void aNewAttemptRightAfterARefusedForwardDoesNotYetOwnWhatAnswersOnTheBastionsPort() {
        for (double secondsAgo : new double[] {4.9, 0.2, -0.3}) { // -0.3: it started while the probe ran
            TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.TARGET_ANSWERED),
                    retryingAfterARefusal(secondsAgo), NOW);

            assertThat(health.health()).as("%s s", secondsAgo).isEqualTo(Health.DOWN);
            assertThat(health.detail()).contains("refused to forward port 2222", "autossh is trying again",
                    "started " + (secondsAgo > 0 ? secondsAgo : 0.0) + " s ago");
            assertThat(health.lastError().orElseThrow().message()).contains("remote port forwarding failed");
        }
    }

    @Test
    void anAttemptThatOutlivedTheTimeARefusalTakesIsJudgedByTheProbe() {
        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.TARGET_ANSWERED),
                retryingAfterARefusal(TunnelHealth.REFUSED_FORWARD_SETTLE.toSeconds() + 0.1), NOW);

        assertThat(health.health()).isEqualTo(Health.UP);
        assertThat(health.detail()).isEqualTo("probe says TARGET_ANSWERED");
    }

    @Test
    void aNewAttemptAfterAnotherFailureIsJudgedByTheProbeAtOnce() {
        Optional<TunnelJournal> afterATimeout = Optional.of(TunnelJournal.of(List.of(
                JournalEvent.of(NOW.minusSeconds(10), 10, "ssh child pid is 12"),
                JournalEvent.of(NOW.minusSeconds(2), 12, "Timeout, server bastion.example.com not responding."),
                JournalEvent.of(NOW.minusSeconds(1), 10, "ssh child pid is 13"))));

        assertThat(TunnelHealth.derive(2222, "active", "running", probe(Result.TARGET_ANSWERED), afterATimeout, NOW)
                .health()).isEqualTo(Health.UP);
    }

    @Test
    void aChangedHostKeyOutranksEverythingAndNamesBothFingerprints() {
        ProbeOutcome changed = new ProbeOutcome(Result.HOST_KEY_CHANGED, "bastion host key changed — possible"
                + " man-in-the-middle: expected A, presented B", Duration.ofMillis(5),
                Optional.of(new HostKeyMismatch("A", "B")));

        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", Optional.of(changed), REFUSED, NOW);

        assertThat(health.health()).isEqualTo(Health.DOWN);
        assertThat(health.detail()).startsWith("bastion host key changed — possible man-in-the-middle")
                .contains("expected A", "presented B");
    }

    @Test
    void aServiceThatIsNotRunningIsDownWhateverElse() {
        TunnelHealth stopped = TunnelHealth.derive(2222, "inactive", "dead", Optional.empty(), REFUSED, NOW);
        TunnelHealth restarting = TunnelHealth.derive(2222, "activating", "auto-restart", Optional.empty(), RUNNING, NOW);

        assertThat(stopped.health()).isEqualTo(Health.DOWN);
        assertThat(stopped.detail()).isEqualTo("service is not running: inactive (dead)");
        assertThat(stopped.lastError()).isPresent();
        assertThat(restarting.detail()).contains("waiting to be restarted");
    }

    @Test
    void withoutAProbeAnActiveServiceCountsAsUpAsBefore() {
        assertThat(TunnelHealth.fromServiceState("active", "running", NOW).health()).isEqualTo(Health.UP);
        assertThat(TunnelHealth.fromServiceState("active", "running", NOW).detail()).contains("not probed");
        assertThat(TunnelHealth.fromServiceState("failed", "failed", NOW).health()).isEqualTo(Health.DOWN);
    }

    @Test
    void anUnreadableJournalIsSaidWhenTheProbeAloneCannotTellWhoseForwardAnswered() {
        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.TARGET_ANSWERED),
                Optional.empty(), NOW);

        assertThat(health.health()).isEqualTo(Health.UP);
        assertThat(health.detail()).contains("journal not readable", "sudo");
    }

    @Test
    void anotherMachineBehindThePortIsDownWhateverTheJournalSays() {
        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.OTHER_MACHINE), REFUSED, NOW);

        assertThat(health.health()).isEqualTo(Health.DOWN);
        assertThat(health.detail()).isEqualTo("probe says OTHER_MACHINE");
    }

    @Test
    void noEvidenceFromASilentTargetIsUnknownNeverUp() {
        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.NO_EVIDENCE), RUNNING, NOW);

        assertThat(health.health()).isEqualTo(Health.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource({"waiting-for-port, DOWN", "backing-off, DOWN", "connecting, DOWN", "up, UP"})
    void aNativeEngineThatSaysItsForwardIsNotUpIsDownWhateverAnswersOnThePort(String phase, Health expected) {
        EngineReport engine = new EngineReport(phase, NOW.minusSeconds(5), 1, Optional.of("the bastion refused port 2222"),
                0, 3, 10, 20, NOW);

        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.TARGET_ANSWERED),
                Optional.empty(), Optional.of(engine), NOW);

        assertThat(health.health()).isEqualTo(expected);
        if (expected == Health.DOWN) {
            assertThat(health.detail()).isEqualTo("the native engine is " + phase + ": the bastion refused port 2222");
        }
    }

    @Test
    void aServiceThatCannotStartSaysWhatSystemdSaidAndTheFix() {
        Optional<TunnelJournal> journal = Optional.of(TunnelJournal.of(List.of(
                JournalEvent.of(NOW.minusSeconds(3), 1, "autossh-tunnel-2222.service: Failed at step EXEC spawning"
                        + " /opt/st/bin/scitex-tunnel: No such file or directory"),
                JournalEvent.of(NOW.minusSeconds(3), 1, "autossh-tunnel-2222.service: Main process exited, code=exited,"
                        + " status=203/EXEC"),
                JournalEvent.of(NOW.minusSeconds(3), 1, "autossh-tunnel-2222.service: Failed with result 'exit-code'."))));

        TunnelHealth health = TunnelHealth.derive(2222, "activating", "auto-restart", Optional.empty(), journal, NOW);

        assertThat(health.health()).isEqualTo(Health.DOWN);
        assertThat(health.detail()).startsWith("service is waiting to be restarted by systemd (activating/auto-restart):"
                + " it cannot start: autossh-tunnel-2222.service: Failed at step EXEC spawning /opt/st/bin/scitex-tunnel:"
                + " No such file or directory; fix: /opt/st/bin/scitex-tunnel does not exist");
    }

    @Test
    void aServiceCaughtActiveBetweenFailedStartsIsDownWithTheReasonItCannotStart() {
        Optional<TunnelJournal> journal = Optional.of(TunnelJournal.of(List.of(
                JournalEvent.of(NOW.minusSeconds(2), 1, "x.service: Failed at step EXEC spawning /opt/gone: No such file"
                        + " or directory"),
                JournalEvent.of(NOW.minusSeconds(2), 1, "x.service: Failed with result 'exit-code'."))));

        TunnelHealth health = TunnelHealth.derive(2222, "active", "running", probe(Result.FORWARD_MISSING), journal, NOW);

        assertThat(health.health()).isEqualTo(Health.DOWN);
        assertThat(health.detail()).startsWith("the service keeps failing to start (systemd restarts it):"
                + " x.service: Failed at step EXEC spawning /opt/gone: No such file or directory; fix: /opt/gone does not");
        assertThat(TunnelHealth.derive(2222, "active", "running", probe(Result.TARGET_ANSWERED), journal, NOW).health())
                .as("it started since").isEqualTo(Health.UP);
        Instant later = NOW.plus(TunnelHealth.RECENT_START_FAILURE);
        assertThat(TunnelHealth.derive(2222, "active", "running", probe(Result.FORWARD_MISSING), journal, later).detail())
                .as("an old failure").isEqualTo("probe says FORWARD_MISSING");
    }
}
