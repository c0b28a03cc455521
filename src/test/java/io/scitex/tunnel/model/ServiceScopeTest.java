package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceScopeTest {
    @Test
    void aUsersUnitsAreWantedByTheirDefaultTargetAndDrivenWithUser() {
        assertThat(ServiceScope.USER.wantedBy()).isEqualTo("default.target");
        assertThat(ServiceScope.USER.flag()).hasValue("--user");
        assertThat(ServiceScope.USER.label()).isEqualTo("user");
        assertThat(ServiceScope.USER.systemctlCommand()).isEqualTo("systemctl --user");
    }

    @Test
    void theSystemsAreWantedByMultiUserTargetWithoutAFlag() {
        assertThat(ServiceScope.SYSTEM.wantedBy()).isEqualTo("multi-user.target");
        assertThat(ServiceScope.SYSTEM.flag()).isEmpty();
        assertThat(ServiceScope.SYSTEM.label()).isEqualTo("system");
        assertThat(ServiceScope.SYSTEM.systemctlCommand()).isEqualTo("sudo systemctl");
    }
}
