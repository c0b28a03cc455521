package io.scitex.tunnel.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded bastion forwards like sshd with {@code GatewayPorts no}: loopback listeners only. */
class LoopbackForwardsOnlyTest {
    private final LoopbackForwardsOnly filter = new LoopbackForwardsOnly();

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1"})
    void aClientMayListenOnLoopback(String host) {
        assertThat(filter.canListen(new SshdSocketAddress(host, 2222), null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "0.0.0.0", "::", "192.0.2.1", "localhost.example.com", "127.0.0.1.example.com"})
    void butNowhereElse(String host) {
        assertThat(filter.canListen(new SshdSocketAddress(host, 2222), null)).isFalse();
    }

    @Test
    void noPortPickedByTheBastionAndNoOutgoingConnections() {
        assertThat(filter.canListen(new SshdSocketAddress("localhost", 0), null)).isFalse();
        assertThat(filter.canConnect(TcpForwardingFilter.Type.Direct, new SshdSocketAddress("127.0.0.1", 22), null))
                .isFalse();
        assertThat(filter.canForwardAgent(null, "auth-agent-req@openssh.com")).isFalse();
        assertThat(filter.canForwardX11(null, "x11-req")).isFalse();
    }
}
