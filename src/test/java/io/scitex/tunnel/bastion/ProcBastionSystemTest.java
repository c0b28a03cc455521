package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.host.ServiceUser;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcBastionSystemTest {
    private static final ServiceUser TUNNEL = new ServiceUser("tunnel", 1003, 1003, Path.of("/home/tunnel"));

    @ParameterizedTest
    @CsvSource({
        ".ssh/authorized_keys, .ssh/authorized_keys",
        "%h/.ssh/authorized_keys, /home/tunnel/.ssh/authorized_keys",
        "/srv/keys/%u, /srv/keys/tunnel",
        "/srv/keys/%U.keys, /srv/keys/1003.keys",
        "/srv/100%%/%u, /srv/100%/tunnel",
        "/srv/%%u, /srv/%u"})
    void expandsAuthorizedKeysFileTokensAsSshdDoes(String pattern, String expanded) {
        assertThat(ProcBastionSystem.expand(pattern, TUNNEL)).isEqualTo(expanded);
    }
}
