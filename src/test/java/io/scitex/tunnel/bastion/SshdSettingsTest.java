package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SshdSettingsTest {
    @Test
    void readsAuthorizedKeysFileFromSshdsEffectiveConfiguration() {
        String effective = "port 2022\nauthorizedkeysfile /srv/keys/%u .ssh/authorized_keys\npasswordauthentication no\n";

        assertThat(SshdSettings.authorizedKeysFiles(effective)).hasValue(List.of("/srv/keys/%u", ".ssh/authorized_keys"));
        assertThat(SshdSettings.authorizedKeysFiles("port 22\n")).isEmpty();
        assertThat(SshdSettings.authorizedKeysFiles("authorizedkeysfile none\n")).isEmpty();
    }
}
