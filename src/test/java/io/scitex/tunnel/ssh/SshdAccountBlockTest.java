package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshdAccountBlockTest {
    @Test
    void rendersAClosedMatchBlockForTheAccount() {
        assertThat(new SshdAccountBlock("tunnel").render()).isEqualTo("""
                # scitex-tunnel: logins of tunnel may forward the TCP ports their authorized_keys lines name, and nothing else
                Match User tunnel
                    # the tunnel listens on the bastion (remote), its health check connects to it (local)
                    AllowTcpForwarding yes
                    # forwards listen on the bastion's loopback, never on its other addresses
                    GatewayPorts no
                    # permitlisten and permitopen do not cover Unix sockets
                    AllowStreamLocalForwarding no
                    PermitTunnel no
                    PermitTTY no
                    X11Forwarding no
                    AllowAgentForwarding no
                Match all
                """);
    }

    @Test
    void linesAreTheRenderedLines() {
        SshdAccountBlock block = new SshdAccountBlock("tunnel");

        assertThat(String.join("\n", block.lines()) + "\n").isEqualTo(block.render());
        assertThat(block.lines()).noneMatch(line -> line.contains("\n") || line.contains("\r"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a", "_svc", "tunnel-2222", "first.last", "MACHINE$", "a23456789012345678901234567890ab"})
    void acceptsLoginNames(String account) {
        assertThat(new SshdAccountBlock(account).lines()).contains("Match User " + account);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "tunnel*", "t?nnel", "!root", "tunnel,root", "tunnel root", "tunnel\nPermitTTY yes",
        "-tunnel", ".hidden", "a$b", "caf\u00e9", "a234567890123456789012345678901234"})
    void rejectsWhatWouldMatchOtherAccountsOrAddLines(String account) {
        assertThatThrownBy(() -> new SshdAccountBlock(account)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a login name").hasMessageNotContaining("\n");
    }

    @Test
    void rejectsNoAccount() {
        assertThatThrownBy(() -> new SshdAccountBlock(null)).isInstanceOf(InvalidInputException.class);
    }
}
