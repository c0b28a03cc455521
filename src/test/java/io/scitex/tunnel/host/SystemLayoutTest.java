package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.ServiceScope;
import java.nio.file.Path;
import java.util.Map;
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

    @Test
    void aUsersLayoutIsInTheirConfigAndRuntimeDirectories() {
        SystemLayout layout = SystemLayout.user(new ServiceUser("pat", 1003, Path.of("/home/pat")), Map.of());

        assertThat(layout.scope()).isEqualTo(ServiceScope.USER);
        assertThat(layout.unitDirectory()).isEqualTo(Path.of("/home/pat/.config/systemd/user"));
        assertThat(layout.knownHosts(2222)).isEqualTo(Path.of("/home/pat/.config/scitex-tunnel/2222/known_hosts"));
        assertThat(layout.lockFile(2222)).isEqualTo(Path.of("/run/user/1003/scitex-tunnel/locks/2222.lock"));
        assertThat(layout.runtimeDirectory()).isEqualTo(Path.of("/run/user/1003"));
    }

    @Test
    void aUsersLayoutHonoursTheXdgVariablesWhenAbsolute() {
        ServiceUser pat = new ServiceUser("pat", 1003, Path.of("/home/pat"));

        SystemLayout layout = SystemLayout.user(pat, Map.of("XDG_CONFIG_HOME", "/srv/cfg", "XDG_RUNTIME_DIR", "/run/x"));
        SystemLayout relative = SystemLayout.user(pat, Map.of("XDG_CONFIG_HOME", "cfg", "XDG_RUNTIME_DIR", ""));

        assertThat(layout.unitDirectory()).isEqualTo(Path.of("/srv/cfg/systemd/user"));
        assertThat(layout.configDirectory()).isEqualTo(Path.of("/srv/cfg/scitex-tunnel"));
        assertThat(layout.lockDirectory()).isEqualTo(Path.of("/run/x/scitex-tunnel/locks"));
        assertThat(relative.unitDirectory()).as("a relative XDG_CONFIG_HOME is ignored")
                .isEqualTo(Path.of("/home/pat/.config/systemd/user"));
        assertThat(relative.runtimeDirectory()).isEqualTo(Path.of("/run/user/1003"));
    }

    @Test
    void theSystemLayoutIsTheSystemScope() {
        assertThat(SystemLayout.DEFAULT.scope()).isEqualTo(ServiceScope.SYSTEM);
    }
}
