package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void isTheProjectVersionFilledInByTheBuild() {
        assertThat(Version.current()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?").isNotEqualTo("${project.version}");
    }
}
