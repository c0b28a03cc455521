package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    @TempDir
    Path root;

    @Test
    void printsBashCompletionForEveryCommand() {
        Cli.Run run = new Cli(root).run("completion");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).contains("complete -F", "scitex-tunnel", "setup", "status", "remove", "--accept-new");
        assertThat(run.err()).isEmpty();
    }
}
