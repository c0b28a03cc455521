package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshdDropInTest {
    @Test
    void setsKeepalivesForAllAndClosesWhatATunnelMustNotDoForTheGroup() {
        String text = SshdDropIn.DEFAULT.render();

        assertThat(text).contains("ClientAliveInterval 2\nClientAliveCountMax 3\n", "free again within about 16 s")
                .contains("\nMatch Group scitex-tunnel\n")
                .contains("    AllowStreamLocalForwarding no\n", "    PermitTunnel no\n", "    PermitTTY no\n",
                        "    X11Forwarding no\n", "    AllowAgentForwarding no\n", "    GatewayPorts no\n",
                        "    ForceCommand /bin/false\n", "    AllowTcpForwarding yes\n")
                .endsWith("\nMatch all\n");
        assertThat(text.indexOf("ClientAliveInterval")).as("global, before the Match block")
                .isLessThan(text.indexOf("Match Group"));
        assertThat(SshdDropIn.DEFAULT.boundSeconds()).isEqualTo(16);
        assertThat(new SshdDropIn("g", 5, 3).boundSeconds()).as("measured 37 s on OpenSSH 9.2").isEqualTo(40);
        assertThat(SshdDropIn.PATH).hasToString("/etc/ssh/sshd_config.d/scitex-tunnel.conf");
    }

    @Test
    void everyDirectiveLineIsIndentedInsideTheMatchBlockOrGlobalBeforeIt() {
        String[] lines = SshdDropIn.DEFAULT.render().split("\n");
        boolean inMatch = false;
        for (String line : lines) {
            if (line.startsWith("Match Group")) {
                inMatch = true;
            } else if (line.equals("Match all")) {
                inMatch = false;
            } else if (!line.isBlank() && !line.strip().startsWith("#")) {
                assertThat(line.startsWith("    ")).as(line).isEqualTo(inMatch);
            }
        }
    }

    @Test
    void theSameSettingsRenderTheSameBytes() {
        assertThat(new SshdDropIn("scitex-tunnel", 2, 3).render()).isEqualTo(SshdDropIn.DEFAULT.render());
        assertThat(new SshdDropIn("tunnels", 10, 2).render()).contains("ClientAliveInterval 10\n",
                "ClientAliveCountMax 2\n", "Match Group tunnels\n", "within about 60 s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "a,b", "!root", "a b", "g\nPermitRootLogin yes", "", "-x"})
    void aGroupThatWouldWidenTheMatchIsRefused(String group) {
        assertThatThrownBy(() -> new SshdDropIn(group, 5, 3)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is not a group name").hasMessageNotContaining("\n");
    }

    @Test
    void keepalivesOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new SshdDropIn("g", 0, 3)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new SshdDropIn("g", 5, 0)).isInstanceOf(InvalidInputException.class);
    }
}
