package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SystemLayoutTest {
    @Test
    void defaultIsTheSystemDirectories() {
        assertThat(SystemLayout.DEFAULT.unitDirectory()).isEqualTo(Path.of("/etc/systemd/system"));
        assertThat(SystemLayout.DEFAULT.configDirectory()).isEqualTo(Path.of("/etc/scitex-tunnel"));
    }

    @Test
    void eachTunnelHasItsOwnDirectoryAndKnownHosts() {
        SystemLayout layout = new SystemLayout(Path.of("/u"), Path.of("/c"));

        assertThat(layout.tunnelDirectory(2222)).isEqualTo(Path.of("/c/2222"));
        assertThat(layout.knownHosts(2222)).isEqualTo(Path.of("/c/2222/known_hosts"));
    }
}
