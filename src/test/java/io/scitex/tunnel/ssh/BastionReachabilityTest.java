package io.scitex.tunnel.ssh;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.Loopback;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Only loopback addresses and address literals, so that no test sends anything beyond this machine. (This
 * machine's resolver is a remote name server, so an unresolvable DNS name is not looked up here: a
 * scoped IPv6 literal whose interface does not exist fails to resolve locally instead.)
 */
class BastionReachabilityTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void reportsAnOpenPort() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = server.getLocalPort();

            String found = BastionReachability.check(BastionAddress.parse("user@127.0.0.1:" + port), TIMEOUT);

            assertThat(found).isEqualTo("127.0.0.1 (127.0.0.1) accepts connections on port " + port);
        }
    }

    @Test
    void closedPortFailsWithWhatToDo() {
        int port = Loopback.freePort();
        BastionAddress bastion = BastionAddress.parse("user@127.0.0.1:" + port);

        assertThatThrownBy(() -> BastionReachability.check(bastion, TIMEOUT))
                .isExactlyInstanceOf(TunnelException.class)
                .hasMessageStartingWith("bastion 127.0.0.1 (127.0.0.1) does not accept connections on port " + port
                        + ": ")
                .hasMessageContaining("Connection refused")
                .hasMessageEndingWith("; check the port and firewalls, or use --no-check to set up offline")
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void unresolvableHostFailsWithWhatToDo() {
        BastionAddress bastion = BastionAddress.parse("user@[fe80::1%nosuchif0]:22");

        assertThatThrownBy(() -> BastionReachability.check(bastion, TIMEOUT))
                .isExactlyInstanceOf(TunnelException.class)
                .hasMessage("bastion fe80::1%nosuchif0 does not resolve: check the name (and DNS),"
                        + " or use --no-check to set up offline")
                .satisfies(e -> assertOneLine(e));
    }
}
