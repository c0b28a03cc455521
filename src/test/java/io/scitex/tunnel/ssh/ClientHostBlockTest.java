package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientHostBlockTest {
    private static final SshPublicKey HOST_KEY = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIHnS7vTYW0VMGzJ3oP4iWnjv4TKcFzJ0Jb6tYQxZlW1c");

    @Test
    void jumpsThroughTheBastionToTheTunnelsPortAndChecksTheKeyUnderTheAlias() {
        ClientHostBlock block = new ClientHostBlock("gpu01", 2222, Optional.of("alice"),
                BastionAddress.parse("tunnel@bastion.example.com:2022"), HOST_KEY);

        assertThat(block.render()).isEqualTo("""
                # gpu01 through its scitex-tunnel on port 2222 of bastion.example.com
                Host gpu01
                    HostName localhost
                    Port 2222
                    User alice
                    ProxyJump tunnel@bastion.example.com:2022
                    HostKeyAlias gpu01
                """);
        assertThat(block.knownHostsLine()).isEqualTo("gpu01 ssh-ed25519 " + HOST_KEY.base64());
    }

    @ParameterizedTest
    @CsvSource({"bastion.example.com, bastion.example.com", "user@bastion, user@bastion",
        "user@[2001:db8::1]:2022, user@[2001:db8::1]:2022", "2001:db8::1, [2001:db8::1]"})
    void proxyJumpNamesTheBastionAsTheUnitHasIt(String bastion, String jump) {
        ClientHostBlock block = new ClientHostBlock("h", 2222, Optional.empty(), BastionAddress.parse(bastion), HOST_KEY);

        assertThat(block.jumpSpec()).isEqualTo(jump);
        assertThat(block.render()).doesNotContain("User ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "a b", "gpu*", "!gpu", "a,b", "-oProxyCommand=x", "gpu\nHost *", ""})
    void aNameThatIsNotOneWordIsRefused(String name) {
        assertThatThrownBy(() -> new ClientHostBlock(name, 2222, Optional.empty(), BastionAddress.parse("b"), HOST_KEY))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("--name").hasMessageNotContaining("\n");
    }

    @Test
    void aLoginThatIsNotALoginNameIsRefused() {
        assertThatThrownBy(() -> new ClientHostBlock("h", 2222, Optional.of("a b"), BastionAddress.parse("b"), HOST_KEY))
                .isInstanceOf(InvalidInputException.class);
    }
}
