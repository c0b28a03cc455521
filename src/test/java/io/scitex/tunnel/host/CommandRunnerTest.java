package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
    @Test
    void capturesExitCodeAndBothStreams() throws Exception {
        CommandResult result = new CommandRunner().run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.argv()).containsExactly("sh", "-c", "echo out; echo err >&2; exit 3");
    }

    @Test
    void passesArgumentsWithoutAShell() throws Exception {
        CommandResult result = new CommandRunner().run(List.of("printf", "%s|", "a b", "$(id)", "'q'", ";"));

        assertThat(result.stdout()).isEqualTo("a b|$(id)|'q'|;|");
    }

    @Test
    void givesCommandEmptyInput() throws Exception {
        CommandResult result = new CommandRunner(Duration.ofSeconds(10)).run(List.of("cat"));

        assertThat(result.succeeded()).isTrue();
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void readsLargeOutput() throws Exception {
        CommandResult result = new CommandRunner().run(List.of("sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x"));

        assertThat(result.stdout()).hasSize(1_000_000);
    }

    @Test
    void stopsCommandThatRunsTooLong() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> new CommandRunner(Duration.ofMillis(300)).run(List.of("sleep", "30")))
                .isInstanceOf(IOException.class).hasMessageContaining("sleep did not finish");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void missingProgramIsAnIoException() {
        assertThatThrownBy(() -> new CommandRunner().run(List.of("no-such-program-xyz")))
                .isInstanceOf(IOException.class);
    }
}
