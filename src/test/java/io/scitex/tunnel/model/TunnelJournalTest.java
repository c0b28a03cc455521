package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.JournalEvent.Kind;
import io.scitex.tunnel.model.TunnelJournal.AttemptState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunnelJournalTest {
    private static final long AUTOSSH = 281;
    private final List<JournalEvent> lines = new ArrayList<>();
    private int second;

    private void log(long pid, String message) {
        lines.add(JournalEvent.of(Instant.ofEpochSecond(1_000 + second++), pid, message));
    }

    @Test
    void anAttemptWithoutProblemsIsRunning() {
        log(1, "Started autossh-tunnel-2222.service - scitex-tunnel");
        log(AUTOSSH, "starting ssh (count 1)");
        log(AUTOSSH, "ssh child pid is 288");

        TunnelJournal journal = TunnelJournal.of(lines);

        assertThat(journal.attempt().state()).isEqualTo(AttemptState.RUNNING);
        assertThat(journal.attempt().started()).hasValue(Instant.ofEpochSecond(1_002));
        assertThat(journal.lastError()).isEmpty();
    }

    @Test
    void aRefusedForwardFailsTheAttemptEvenBeforeAutosshReportsTheExit() {
        log(AUTOSSH, "ssh child pid is 288");
        log(288, "Error: remote port forwarding failed for listen port 2229");
        log(AUTOSSH, "ssh exited with error status 255; restarting ssh");
        log(AUTOSSH, "ssh child pid is 293");
        log(293, "Error: remote port forwarding failed for listen port 2229");

        TunnelJournal journal = TunnelJournal.of(lines);

        assertThat(journal.attempt().state()).isEqualTo(AttemptState.FAILED);
        assertThat(journal.attempt().cause()).hasValueSatisfying(c -> assertThat(c.pid()).isEqualTo(293));
        assertThat(journal.lastError().orElseThrow().kind()).isEqualTo(Kind.FORWARD_REFUSED);
    }

    @Test
    void aNewAttemptKnowsWhyTheOneBeforeItEnded() {
        log(AUTOSSH, "ssh child pid is 288");
        log(288, "Error: remote port forwarding failed for listen port 2229");
        log(AUTOSSH, "ssh exited with error status 255; restarting ssh");
        log(AUTOSSH, "ssh child pid is 293");

        TunnelJournal.Attempt attempt = TunnelJournal.of(lines).attempt();

        assertThat(attempt.state()).isEqualTo(AttemptState.RUNNING);
        assertThat(attempt.started()).hasValue(Instant.ofEpochSecond(1_003));
        assertThat(attempt.previous()).hasValueSatisfying(p -> {
            assertThat(p.pid()).isEqualTo(288);
            assertThat(p.kind()).isEqualTo(Kind.FORWARD_REFUSED);
        });
    }

    @Test
    void theFirstAttemptReadOrOneAfterASilentExitHasNoPreviousCause() {
        log(AUTOSSH, "ssh child pid is 288");
        assertThat(TunnelJournal.of(lines).attempt().previous()).isEmpty();

        log(AUTOSSH, "ssh exited with error status 255; restarting ssh");
        log(AUTOSSH, "ssh child pid is 293");
        assertThat(TunnelJournal.of(lines).attempt().previous()).as("autossh's own line is not ssh's reason").isEmpty();
    }

    @Test
    void autosshWaitingToRetryMeansTheAttemptFailed() {
        log(AUTOSSH, "ssh child pid is 288");
        log(AUTOSSH, "ssh exited with error status 255; restarting ssh");

        assertThat(TunnelJournal.of(lines).attempt().state()).isEqualTo(AttemptState.FAILED);
    }

    @Test
    void anOldFailureDoesNotCountAgainstANewAttemptNorDoesTheTargetRefusingAConnection() {
        log(AUTOSSH, "ssh child pid is 288");
        log(288, "Timeout, server bastion.example.com not responding.");
        log(AUTOSSH, "ssh exited with error status 255; restarting ssh");
        log(AUTOSSH, "ssh child pid is 300");
        log(300, "connect_to 127.0.0.1 port 2022: failed.");

        TunnelJournal journal = TunnelJournal.of(lines);

        assertThat(journal.attempt().state()).isEqualTo(AttemptState.RUNNING);
        assertThat(journal.lastError().orElseThrow().kind()).as("newest problem").isEqualTo(Kind.TARGET_REFUSED);
    }

    @Test
    void aHostKeyFailureIsToldByItsSpecificLineNotTheGenericLastOne() {
        log(AUTOSSH, "ssh child pid is 561");
        log(561, "@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @");
        log(561, "Host key for bastion.example.com has changed and you have requested strict checking.");
        log(561, "Host key verification failed.");

        TunnelJournal journal = TunnelJournal.of(lines);

        assertThat(journal.lastError().orElseThrow().message()).startsWith("Host key for bastion.example.com has changed");
        assertThat(journal.attempt().cause().orElseThrow().message()).startsWith("Host key for bastion.example.com has changed");
    }

    @Test
    void linesAreOrderedByTimeWhateverOrderTheyCameIn() {
        log(AUTOSSH, "ssh child pid is 288");
        log(288, "Error: remote port forwarding failed for listen port 2229");
        log(AUTOSSH, "ssh child pid is 293");
        List<JournalEvent> shuffled = new ArrayList<>(List.of(lines.get(2), lines.get(0), lines.get(1)));

        assertThat(TunnelJournal.of(shuffled).attempt().state()).isEqualTo(AttemptState.RUNNING);
    }

    @Test
    void withoutAnAttemptInTheLinesReadNothingIsKnown() {
        assertThat(TunnelJournal.of(List.of()).attempt().state()).isEqualTo(AttemptState.UNSEEN);
    }

    @Test
    void aServiceThatCouldNotStartIsExplainedByTheStepThatFailedNotItsLastLine() {
        Instant t = Instant.parse("2026-11-25T01:00:00Z");
        TunnelJournal journal = TunnelJournal.of(List.of(
                JournalEvent.of(t, 1, "x.service: Failed at step EXEC spawning /opt/st/bin/scitex-tunnel: Permission denied"),
                JournalEvent.of(t, 1, "x.service: Main process exited, code=exited, status=203/EXEC"),
                JournalEvent.of(t.plusMillis(5), 1, "x.service: Failed with result 'exit-code'.")));

        assertThat(journal.lastError().orElseThrow().message())
                .isEqualTo("x.service: Failed at step EXEC spawning /opt/st/bin/scitex-tunnel: Permission denied");
    }

    @Test
    void aJvmThatRefusedAnOptionIsExplainedByItsOwnWordsNotItsGenericLastOne() {
        Instant t = Instant.parse("2026-11-25T01:00:00Z");
        TunnelJournal journal = TunnelJournal.of(List.of(
                JournalEvent.of(t, 7, "Unrecognized VM option 'UseCompactObjectHeaders'"),
                JournalEvent.of(t, 7, "Error: Could not create the Java Virtual Machine."),
                JournalEvent.of(t.plusMillis(2), 1, "x.service: Main process exited, code=exited, status=1/FAILURE"),
                JournalEvent.of(t.plusMillis(3), 1, "x.service: Failed with result 'exit-code'.")));

        assertThat(journal.lastError().orElseThrow().message()).isEqualTo("Unrecognized VM option 'UseCompactObjectHeaders'");
    }

    @Test
    void anOrdinaryFailureLongAfterAnOldStartProblemIsShownAsItIs() {
        Instant t = Instant.parse("2026-11-25T01:00:00Z");
        TunnelJournal journal = TunnelJournal.of(List.of(
                JournalEvent.of(t, 1, "x.service: Failed at step EXEC spawning /gone: No such file or directory"),
                JournalEvent.of(t.plusSeconds(600), 1, "x.service: Failed with result 'exit-code'.")));

        assertThat(journal.lastError().orElseThrow().message()).isEqualTo("x.service: Failed with result 'exit-code'.");
    }
}
