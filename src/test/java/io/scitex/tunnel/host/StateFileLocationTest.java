package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateFileLocationTest {
    @Test
    void systemdsRuntimeDirectoryComesFirst() {
        assertThat(StateFileLocation.resolve(2222, Map.of("RUNTIME_DIRECTORY", "/run/scitex-tunnel-2222",
                "XDG_RUNTIME_DIR", "/run/user/1000"))).isEqualTo(Path.of("/run/scitex-tunnel-2222/2222.json"));
        assertThat(StateFileLocation.resolve(2222, Map.of("RUNTIME_DIRECTORY", "/run/a:/run/b")))
                .isEqualTo(Path.of("/run/a/2222.json"));
    }

    @Test
    void withoutItTheSystemDirectoryWhenWritableElseTheUsersRuntimeDirectory() {
        Path expected = Files.isWritable(StateFileLocation.SYSTEM_DIRECTORY)
                || Files.isWritable(StateFileLocation.SYSTEM_DIRECTORY.getParent())
                ? Path.of("/run/scitex-tunnel/2222.json") : Path.of("/run/user/1000/scitex-tunnel/2222.json");
        assertThat(StateFileLocation.resolve(2222, Map.of("RUNTIME_DIRECTORY", "relative/ignored",
                "XDG_RUNTIME_DIR", "/run/user/1000"))).isEqualTo(expected);
    }

    @Test
    void theLastResortIsTheTemporaryDirectory() {
        Path resolved = StateFileLocation.resolve(2222, Map.of());
        assertThat(resolved.getFileName().toString()).isEqualTo("2222.json");
        assertThat(resolved.getParent()).isIn(StateFileLocation.SYSTEM_DIRECTORY,
                Path.of(System.getProperty("java.io.tmpdir"), "scitex-tunnel-" + System.getProperty("user.name")));
    }
}
