package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StartFailureTest {
    private static final Instant T = Instant.parse("2026-11-25T01:00:00Z");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "autossh-tunnel-2250.service: Failed at step EXEC spawning /opt/st/bin/scitex-tunnel: No such file or directory"
                + " | /opt/st/bin/scitex-tunnel does not exist, or the service's sandbox hides it",
        "autossh-tunnel-2250.service: Failed to locate executable /home/a/st/bin/scitex-tunnel: No such file or directory"
                + " | /home/a/st/bin/scitex-tunnel does not exist, or the service's sandbox hides it",
        "autossh-tunnel-2250.service: Failed at step EXEC spawning /opt/st/bin/scitex-tunnel: Permission denied"
                + " | the service user may not run /opt/st/bin/scitex-tunnel",
        "autossh-tunnel-2250.service: Main process exited, code=exited, status=203/EXEC"
                + " | systemd could not start the process (EXEC)",
        "Unrecognized VM option 'UseCompactObjectHeaders'"
                + " | the Java runtime the unit names refuses to start the native engine",
        "Error: Could not create the Java Virtual Machine."
                + " | the Java runtime the unit names refuses to start the native engine",
    })
    void whatSystemdOrTheProcessSaidComesWithItsFix(String line, String fix) {
        StartFailure failure = StartFailure.of(JournalEvent.of(T, 1, line)).orElseThrow();

        assertThat(failure.said()).isEqualTo(line);
        assertThat(failure.fix()).startsWith(fix);
        assertThat(failure.describe()).isEqualTo(line + "; fix: " + failure.fix());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Error: remote port forwarding failed for listen port 2222",
        "autossh-tunnel-2250.service: Failed with result 'exit-code'.",
        "Permission denied (publickey).",
    })
    void otherLinesAreNoStartFailure(String line) {
        assertThat(StartFailure.of(JournalEvent.of(T, 1, line))).isEmpty();
    }

    /** execve's ENOENT for a failed exec also covers a script whose interpreter is missing; locating a file does not. */
    @Test
    void aFailedExecNamesAMissingInterpreterAsACauseAndAFailedLocateDoesNot() {
        StartFailure exec = StartFailure.of(JournalEvent.of(T, 1, "autossh-tunnel-2250.service: Failed at step EXEC"
                + " spawning /opt/fake/bin/autossh: No such file or directory")).orElseThrow();
        StartFailure locate = StartFailure.of(JournalEvent.of(T, 1, "autossh-tunnel-2250.service: Failed to locate"
                + " executable /opt/fake/bin/autossh: No such file or directory")).orElseThrow();

        assertThat(exec.fix()).contains("or it is a script whose #! interpreter does not exist: install it");
        assertThat(locate.fix()).doesNotContain("interpreter");
    }

    @Test
    void whatItQuotesIsEscaped() {
        StartFailure failure = StartFailure.of(JournalEvent.of(T, 1,
                "x.service: Failed at step EXEC spawning /opt/\u001b[2Jevil: No such file or directory")).orElseThrow();

        assertThat(failure.said()).doesNotContain("\u001b");
        assertThat(failure.fix()).startsWith("/opt/\\x1b[2Jevil does not exist");
    }
}
