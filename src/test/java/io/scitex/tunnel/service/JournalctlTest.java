package io.scitex.tunnel.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ServiceScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalctlTest {
    /** Real {@code journalctl -o json --output-fields=...} lines (systemd 252): autossh, ssh, systemd. */
    private static final String OUTPUT = """
            {"__REALTIME_TIMESTAMP":"1795569152563206","_PID":"281","MESSAGE":"ssh child pid is 288","_SYSTEMD_UNIT":"autossh-tunnel-2229.service","__CURSOR":"s=1;i=74"}
            {"_SYSTEMD_UNIT":"autossh-tunnel-2229.service","_PID":"288","MESSAGE":"Error: remote port forwarding failed for listen port 2229","__REALTIME_TIMESTAMP":"1795569152887672"}
            {"UNIT":"autossh-tunnel-2222.service","_SYSTEMD_UNIT":"init.scope","_PID":"1","MESSAGE":"Started autossh-tunnel-2222.service - scitex-tunnel.","__REALTIME_TIMESTAMP":"1795569143446706"}
            {"_SYSTEMD_UNIT":"autossh-tunnel-2222.service","_PID":"174","MESSAGE":[84,105,109,101,111,117,116,255],"__REALTIME_TIMESTAMP":"1795569154151222"}
            {"_SYSTEMD_UNIT":"other.service","_PID":"9","MESSAGE":"not ours","__REALTIME_TIMESTAMP":"1795569154151222"}
            -- No entries --
            {"broken json
            """;

    @Test
    void linesGoToTheirUnitsWithTimePidAndMeaning() {
        Map<String, List<JournalEvent>> byUnit = Journalctl.parse(OUTPUT,
                List.of("autossh-tunnel-2222.service", "autossh-tunnel-2229.service", "autossh-tunnel-2230.service"));

        List<JournalEvent> refused = byUnit.get("autossh-tunnel-2229.service");
        assertThat(refused).hasSize(2);
        assertThat(refused.get(1).pid()).isEqualTo(288);
        assertThat(refused.get(1).kind()).isEqualTo(JournalEvent.Kind.FORWARD_REFUSED);
        assertThat(refused.get(1).time()).isEqualTo(Instant.parse("2026-11-25T01:12:32.887672Z"));
        assertThat(byUnit.get("autossh-tunnel-2222.service")).extracting(JournalEvent::message)
                .as("systemd's lines count for the UNIT they are about; byte arrays are decoded")
                .containsExactly("Started autossh-tunnel-2222.service - scitex-tunnel.", "Timeout\uFFFD");
        assertThat(byUnit.get("autossh-tunnel-2230.service")).isEmpty();
        assertThat(byUnit).doesNotContainKey("other.service");
    }

    @Test
    void oneJournalctlForAllUnits() {
        assertThat(Journalctl.argv(ServiceScope.SYSTEM, List.of("a.service", "b.service"),
                Instant.ofEpochSecond(1_795_569_000L)))
                .containsExactly("journalctl", "--no-pager", "--quiet", "-o", "json",
                        "--output-fields=MESSAGE,_PID,_SYSTEMD_UNIT,UNIT,USER_UNIT,_SYSTEMD_USER_UNIT",
                        "--since=@1795569000", "--unit=a.service", "--unit=b.service");
    }

    @Test
    void aUsersJournalIsReadWithUser() {
        assertThat(Journalctl.argv(ServiceScope.USER, List.of("a.service"), Instant.ofEpochSecond(1_795_569_000L)))
                .startsWith("journalctl", "--user", "--no-pager").endsWith("--unit=a.service");
    }

    @Test
    void aUserServicesLinesBelongToItsUserUnitNotToTheUsersManager() {
        String line = "{\"__REALTIME_TIMESTAMP\":\"1795569000000000\",\"_PID\":\"42\",\"MESSAGE\":\"starting ssh\","
                + "\"_SYSTEMD_UNIT\":\"user@1003.service\",\"_SYSTEMD_USER_UNIT\":\"autossh-tunnel-2302.service\"}";
        String started = "{\"__REALTIME_TIMESTAMP\":\"1795569000000001\",\"_PID\":\"7\",\"MESSAGE\":\"Started it.\","
                + "\"_SYSTEMD_UNIT\":\"user@1003.service\",\"USER_UNIT\":\"autossh-tunnel-2302.service\"}";

        assertThat(Journalctl.parseLine(line).orElseThrow().unit()).isEqualTo("autossh-tunnel-2302.service");
        assertThat(Journalctl.parseLine(started).orElseThrow().unit()).isEqualTo("autossh-tunnel-2302.service");
    }

    @Test
    void aJournalctlThatMayNotReadTheSystemJournalSaysSo() {
        assertThat(Journalctl.isComplete("")).isTrue();
        assertThat(Journalctl.isComplete("Hint: You are currently not seeing messages from other users and the system.")).isFalse();
        assertThat(Journalctl.isComplete("No journal files were opened due to insufficient permissions.")).isFalse();
    }
}
