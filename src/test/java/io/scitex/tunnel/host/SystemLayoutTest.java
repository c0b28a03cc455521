package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SystemLayoutTest {
    @Test
    void defaultIsTheSystemDirectories() {
        assertThat(SystemLayout.DEFAULT.unitDirectory()).isEqualTo(Path.of("/etc/systemd/system"));
        assertThat(SystemLayout.DEFAULT.configDirectory()).isEqualTo(Path.of("/etc/scitex-tunnel"));
        assertThat(SystemLayout.DEFAULT.lockDirectory()).isEqualTo(Path.of("/run/scitex-tunnel/locks"));
    }

    @Test
    void eachTunnelHasItsOwnDirectoryAndKnownHosts() {
        SystemLayout layout = new SystemLayout(Path.of("/u"), Path.of("/c"), Path.of("/l"));

        assertThat(layout.tunnelDirectory(2222)).isEqualTo(Path.of("/c/2222"));
        assertThat(layout.knownHosts(2222)).isEqualTo(Path.of("/c/2222/known_hosts"));
    }

    @Test
    void eachPortHasItsOwnLockFile() {
        SystemLayout layout = new SystemLayout(Path.of("/u"), Path.of("/c"), Path.of("/l"));

        assertThat(layout.lockFile(2222)).isEqualTo(Path.of("/l/2222.lock"));
    }
}
