package io.scitex.tunnel.model;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NoSuchTunnelExceptionTest {
    @Test
    void namesThePortAndHowToListTunnels() {
        NoSuchTunnelException e = new NoSuchTunnelException(2222);

        assertThat(e.port()).isEqualTo(2222);
        assertThat(e).isInstanceOf(TunnelException.class).hasMessageContaining("port 2222")
                .hasMessageContaining("scitex-tunnel status");
        assertOneLine(e);
    }
}
