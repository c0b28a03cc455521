package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandResultTest {
    private static CommandResult result(int exit, String stdout, String stderr) {
        return new CommandResult(List.of("systemctl", "restart", "x"), exit, stdout, stderr);
    }

    @Test
    void succeedsOnlyWithExitCode0() {
        assertThat(result(0, "", "").succeeded()).isTrue();
        assertThat(result(1, "", "").succeeded()).isFalse();
        assertThat(result(-1, "", "").succeeded()).isFalse();
    }

    @Test
    void firstErrorLineIsFirstNonBlankLineOfStderrStripped() {
        assertThat(result(1, "out\n", "\n   \n  Job for x failed.  \nSee journalctl\n").firstErrorLine())
                .isEqualTo("Job for x failed.");
    }

    @Test
    void firstErrorLineFallsBackToStdout() {
        assertThat(result(1, "\n  usage: x\n", " \n").firstErrorLine()).isEqualTo("usage: x");
    }

    @Test
    void firstErrorLineFallsBackToExitCode() {
        assertThat(result(3, "", "\n\n").firstErrorLine()).isEqualTo("exit code 3");
    }

    @Test
    void keepsItsOwnCopyOfArgv() {
        List<String> argv = new ArrayList<>(List.of("ls"));
        CommandResult result = new CommandResult(argv, 0, "", "");
        argv.add("-la");

        assertThat(result.argv()).containsExactly("ls");
    }
}
