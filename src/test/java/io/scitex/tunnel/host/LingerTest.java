package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.testing.FakeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LingerTest {
    @TempDir
    Path directory;

    @Test
    void aUserLingersWhenLogindSaysYes() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("yes\n");

        assertThat(new Linger(runner, directory).isOn("pat")).isTrue();
        assertThat(runner.commands()).containsExactly(List.of("loginctl", "show-user", "pat", "-p", "Linger", "--value"));
    }

    @Test
    void aUserLogindDoesNotKnowDoesNotLinger() throws Exception {
        FakeRunner runner = FakeRunner.failing(1, "Failed to get user: User ID 1005 is not logged in or lingering");

        assertThat(new Linger(runner, directory).isOn("nolin")).isFalse();
        assertThat(new Linger(FakeRunner.succeeding("no\n"), directory).isOn("pat")).isFalse();
    }

    @Test
    void enablingAsksLoginctl() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("");

        new Linger(runner, directory).enable("pat");

        assertThat(runner.commands()).containsExactly(List.of("loginctl", "enable-linger", "pat"));
    }

    @Test
    void theLingeringUsersAreLogindsFilesInOrder() throws Exception {
        Files.createFile(directory.resolve("zoe"));
        Files.createFile(directory.resolve("pat"));

        assertThat(new Linger(FakeRunner.succeeding(""), directory).users()).containsExactly("pat", "zoe");
        assertThat(new Linger(FakeRunner.succeeding(""), directory.resolve("missing")).users()).isEmpty();
    }
}
