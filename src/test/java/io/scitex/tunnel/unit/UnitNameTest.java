package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitNameTest {
    @Test
    void namesUnitAfterPort() {
        assertThat(UnitName.of(2222)).isEqualTo("autossh-tunnel-2222.service");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 22, 2222, 65535})
    void readsPortBackFromName(int port) {
        assertThat(UnitName.port(UnitName.of(port))).contains(port);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2222, 65535})
    void globMatchesEveryTunnelUnit(int port) {
        assertThat(FileSystems.getDefault().getPathMatcher("glob:" + UnitName.GLOB).matches(Path.of(UnitName.of(port))))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"autossh-tunnel-0.service", "autossh-tunnel-70000.service", "autossh-tunnel-65536.service",
        "autossh-tunnel-022.service", "autossh-tunnel-.service", "autossh-tunnel-abc.service",
        "autossh-tunnel-2222.service.bak", "autossh-tunnel-2222.timer", "autossh-tunnel--1.service",
        "autossh-tunnel-123456.service", "xautossh-tunnel-22.service", "ssh.service", "autossh-tunnel-22@x.service",
        "autossh-tunnel-22.service\n", ""})
    void rejectsOtherNames(String name) {
        assertThat(UnitName.port(name)).isEmpty();
    }
}
