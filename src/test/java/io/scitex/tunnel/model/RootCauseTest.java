package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class RootCauseTest {
    @Test
    void theInnermostCauseIsFoundUnderEveryWrapper() {
        ConnectException refused = new ConnectException("Connection refused");

        assertThat(RootCause.of(new IOException("connect failed", new RuntimeException("wrapped", refused))))
                .isSameAs(refused);
        assertThat(RootCause.of(refused)).isSameAs(refused);
    }

    @Test
    void aFailureThatIsItsOwnCauseEndsTheWalk() {
        IOException selfCaused = new IOException("loop") {
            @Override
            public synchronized Throwable getCause() {
                return this;
            }
        };

        assertThat(RootCause.of(selfCaused)).isSameAs(selfCaused);
        assertThat(RootCause.message(selfCaused)).isEqualTo("loop");
    }

    @Test
    void theMessageIsTheInnermostCausesElseItsClassName() {
        assertThat(RootCause.message(new IOException("outer", new ConnectException("Connection refused"))))
                .isEqualTo("Connection refused");
        assertThat(RootCause.message(new IOException("outer", new EOFException()))).isEqualTo("EOFException");
        assertThat(RootCause.message(new IOException("", null))).isEmpty();
    }

    @Test
    void messageOrOuterFallsBackToTheWrappersMessageBeforeTheClassName() {
        assertThat(RootCause.messageOrOuter(new IOException("outer", new ConnectException("Connection refused"))))
                .isEqualTo("Connection refused");
        assertThat(RootCause.messageOrOuter(new IOException("session closed", new EOFException())))
                .isEqualTo("session closed");
        assertThat(RootCause.messageOrOuter(new EOFException())).isEqualTo("EOFException");
        assertThat(RootCause.messageOrOuter(null)).isEqualTo("no reason given");
    }
}
