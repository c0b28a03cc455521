package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shutdown hook's work; that a signal runs it is what RunCommandIT and DemoCommandIT show. */
class StopOnSignalTest {
    private final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private StopOnSignal stopping(AutoCloseable held) {
        return new StopOnSignal(held, "closing the tunnel", new PrintStream(err, true, StandardCharsets.UTF_8),
                status -> events.add("halt " + status));
    }

    @Test
    void closesWhatItHoldsThenHaltsWithZero() {
        stopping(() -> events.add("close")).stop();

        assertThat(events).containsExactly("close", "halt 0");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aFailedCloseIsOneLineAndStillAStopThatWasAskedFor() {
        stopping(() -> {
            throw new IOException("cannot delete /tmp/x");
        }).stop();

        assertThat(events).containsExactly("halt 0");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("scitex-tunnel: closing the tunnel: cannot delete /tmp/x" + System.lineSeparator());
    }

    @Test
    void aRuntimeFailureWhileClosingIsReportedTheSameWay() {
        stopping(() -> {
            throw new IllegalStateException("session already closed");
        }).stop();

        assertThat(events).containsExactly("halt 0");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("closing the tunnel: session already closed");
    }
}
