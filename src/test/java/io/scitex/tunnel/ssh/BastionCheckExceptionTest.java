package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BastionCheckExceptionTest {
    @Test
    void keepsStepMessageAndCause() {
        IOException cause = new IOException("Connection refused");

        BastionCheckException e = new BastionCheckException(BastionSession.Step.CONNECT,
                "cannot connect to bastion: Connection refused", cause);

        assertThat(e.step()).isEqualTo(BastionSession.Step.CONNECT);
        assertThat(e).hasMessage("cannot connect to bastion: Connection refused").hasCause(cause);
    }

    /** The CLI shows a TunnelException's message as the error and exits 1, rather than "unexpected error". */
    @Test
    void isATunnelException() {
        assertThat(new BastionCheckException(BastionSession.Step.HOST_KEY, "m", null))
                .isInstanceOf(TunnelException.class);
    }
}
