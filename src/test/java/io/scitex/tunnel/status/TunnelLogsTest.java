package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.FakeJournal;
import io.scitex.tunnel.testing.TunnelUnits;
import io.scitex.tunnel.unit.UnitName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelLogsTest {
    private static final Instant T = Instant.parse("2026-11-25T01:00:00Z");
    private static final List<JournalEvent> LINES = List.of(
            JournalEvent.of(T, 1, "Started autossh-tunnel-2222.service - scitex-tunnel: bastion.example.com port 2222 -> localhost:22."),
            JournalEvent.of(T.plusSeconds(1), 10, "ssh child pid is 12"),
            JournalEvent.of(T.plusSeconds(2), 12, "Error: remote port forwarding failed for listen port 2222"),
            JournalEvent.of(T.plusSeconds(3), 10, "ssh exited with error status 255; restarting ssh"));

    @TempDir
    Path dir;

    private TunnelUnits units;
    private final FakeJournal journal = new FakeJournal();
    private final List<JournalEvent> sink = new ArrayList<>();

    @BeforeEach
    void machine() {
        units = new TunnelUnits(dir.resolve("etc/systemd/system"));
        units.autossh(TunnelUnits.spec(2222, "bastion.example.com", Path.of("/home/alice/.ssh/id_ed25519"), "alice"),
                Path.of("/etc/scitex-tunnel/2222/known_hosts"));
        units.python(2300, "-M 0 -NR 2300:localhost:22 user@bastion.example.com -i /root/.ssh/id_rsa");
        LINES.forEach(line -> journal.add(UnitName.of(2222), line));
        journal.add(UnitName.of(2300), JournalEvent.of(T, 30, "a line of another tunnel"));
    }

    private TunnelLogs logs() {
        return new TunnelLogs(units.directory(), journal);
    }

    @Test
    void theLinesGoToTheSinkInTheJournalsOrder() {
        logs().stream(2222, 100, false, sink::add);

        assertThat(sink).containsExactlyElementsOf(LINES);
        assertThat(journal.reads()).containsExactly("stream autossh-tunnel-2222.service 100");
    }

    @ParameterizedTest(name = "{0} lines, follow {1}")
    @CsvSource({"2, false, stream autossh-tunnel-2222.service 2", "1, true, stream autossh-tunnel-2222.service 1 follow",
        "50, true, stream autossh-tunnel-2222.service 50 follow"})
    void theCountAndFollowAreHandedToTheJournal(int lines, boolean follow, String read) {
        logs().stream(2222, lines, follow, sink::add);

        assertThat(sink).containsExactlyElementsOf(LINES.subList(Math.max(0, LINES.size() - lines), LINES.size()));
        assertThat(journal.reads()).containsExactly(read);
    }

    @Test
    void theLinesAreClassified() {
        logs().stream(2222, 10, false, sink::add);

        assertThat(sink).extracting(JournalEvent::kind).containsExactly(JournalEvent.Kind.SERVICE_STARTED,
                JournalEvent.Kind.SSH_STARTED, JournalEvent.Kind.FORWARD_REFUSED, JournalEvent.Kind.SSH_EXITED);
    }

    @Test
    void aPortWithoutUnitIsNoSuchTunnelAndTheJournalIsNotAsked() {
        assertThatThrownBy(() -> logs().stream(2223, 10, false, sink::add))
                .isInstanceOfSatisfying(NoSuchTunnelException.class, e -> assertThat(e.port()).isEqualTo(2223));
        assertThat(journal.reads()).isEmpty();
        assertThat(sink).isEmpty();
    }

    @Test
    void withoutAUnitDirectoryThereIsNoSuchTunnel() {
        TunnelLogs logs = new TunnelLogs(new TunnelUnits(dir.resolve("nowhere")).directory(), journal);

        assertThatThrownBy(() -> logs.stream(2222, 10, false, sink::add)).isInstanceOf(NoSuchTunnelException.class);
        assertThat(journal.reads()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 255})
    void aJournalReaderThatFailsIsATunnelExceptionWithItsExitCode(int exit) {
        journal.exitingWith(exit);

        assertThatThrownBy(() -> logs().stream(2222, 10, false, sink::add)).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("journalctl exited with " + exit);
        assertThat(sink).as("what it printed before it failed still went out").containsExactlyElementsOf(LINES);
    }

    @Test
    void aJournalReaderThatEndsWellIsNoError() {
        journal.exitingWith(0);

        assertThatCode(() -> logs().stream(2300, 10, true, sink::add)).doesNotThrowAnyException();
        assertThat(sink).extracting(JournalEvent::message).containsExactly("a line of another tunnel");
    }

    @Test
    void aJournalThatCannotBeReadIsATunnelExceptionNamingTheUnit() {
        journal.failing("Cannot run program \"journalctl\": error=2, No such file or directory");

        assertThatThrownBy(() -> logs().stream(2222, 10, false, sink::add)).isExactlyInstanceOf(TunnelException.class)
                .hasMessage("cannot read the journal of autossh-tunnel-2222.service: Cannot run program \"journalctl\":"
                        + " error=2, No such file or directory")
                .hasCauseInstanceOf(java.io.IOException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE})
    void aPortOutOfRangeIsInvalidInputAndTheJournalIsNotAsked(int port) {
        assertThatThrownBy(() -> logs().stream(port, 10, false, sink::add)).isInstanceOf(InvalidInputException.class)
                .hasMessage("port must be from 1 to 65535, not " + port);
        assertThat(journal.reads()).isEmpty();
    }
}
