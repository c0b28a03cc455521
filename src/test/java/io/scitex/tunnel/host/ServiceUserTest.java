package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServiceUserTest {
    private final ServiceUser alice = new ServiceUser("alice", 1000, Path.of("/home/alice"));

    @Test
    void expandsTildeToHome() {
        assertThat(alice.expand("~")).isEqualTo(Path.of("/home/alice"));
    }

    @Test
    void expandsTildeSlashIntoHome() {
        assertThat(alice.expand("~/.ssh/id_rsa")).isEqualTo(Path.of("/home/alice/.ssh/id_rsa"));
        assertThat(alice.expand("~/")).isEqualTo(Path.of("/home/alice"));
    }

    @Test
    void leavesAbsolutePathAlone() {
        assertThat(alice.expand("/etc/keys/id")).isEqualTo(Path.of("/etc/keys/id"));
    }

    @Test
    void leavesOtherUsersTildeUnexpanded() {
        assertThat(alice.expand("~bob/.ssh/id_rsa")).isEqualTo(Path.of("~bob/.ssh/id_rsa"));
    }

    @Test
    void leavesTildeInsidePathAlone() {
        assertThat(alice.expand("/keys/~/id")).isEqualTo(Path.of("/keys/~/id"));
        assertThat(alice.expand("keys/id")).isEqualTo(Path.of("keys/id"));
    }
}
