package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.testing.FakeRunner;
import io.scitex.tunnel.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsUserTest {
    private static final ServiceUser ALICE = new ServiceUser("alice", 1001, 1002, Path.of("/home/alice"));

    @TempDir
    Path dir;

    @Test
    void switchingRunsTheCommandThroughSetprivWithTheUsersIdsGroupsAndACleanEnvironment() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("");

        new AsUser(runner, ALICE, true).run(List.of("mkdir", "-m", "0700", "--", "/home/alice/.ssh"));

        assertThat(runner.commands()).containsExactly(List.of("setpriv", "--reuid=1001", "--regid=1002",
                "--init-groups", "--reset-env", "--", "mkdir", "-m", "0700", "--", "/home/alice/.ssh"));
    }

    @Test
    void withoutSwitchingTheCommandRunsAsItIs() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("");

        new AsUser(runner, ALICE, false).run(List.of("mkdir", "/x"));

        assertThat(runner.commands()).containsExactly(List.of("mkdir", "/x"));
    }

    @Test
    void rootIsNeverSwitchedTo() {
        assertThat(AsUser.of(FakeRunner.succeeding(""), new ServiceUser("root", 0, Path.of("/root"))).switchesUser())
                .isFalse();
    }

    @Test
    void onlyRootSwitchesToAnotherUser() {
        assertThat(AsUser.of(FakeRunner.succeeding(""), ALICE).switchesUser()).isEqualTo(AsUser.processIsRoot());
        assertThat(AsUser.processIsRoot()).isEqualTo("root".equals(System.getProperty("user.name")));
    }

    @Test
    void withoutSwitchingReadAndEnterAreThisProcesssOwnRights() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        AsUser me = new AsUser(FakeRunner.failing(1, "must not run"), ALICE, false);

        assertThat(me.mayRead(file)).isTrue();
        assertThat(me.mayEnter(dir)).isTrue();
        assertThat(me.mayEnter(file)).as("a file is not a directory").isFalse();
        assertThat(me.mayRead(dir.resolve("absent"))).isFalse();
    }

    /** As root, for a real unprivileged account: the kernel answers with that account's rights. */
    @Test
    void switchedCommandsHaveTheUsersRightsOnly() throws Exception {
        Prerequisites.requireRoot("switching to another user");
        ServiceUser nobody = new Users(new CommandRunner(), Map.of()).lookup("nobody");
        AsUser asNobody = AsUser.of(new CommandRunner(), nobody);
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Path file = Files.writeString(closed.resolve("file"), "x");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(asNobody.switchesUser()).isTrue();
        assertThat(asNobody.run(List.of("id", "-u")).stdout().strip()).isEqualTo(Integer.toString(nobody.uid()));
        assertThat(asNobody.run(List.of("printenv", "HOME")).stdout().strip()).isEqualTo(nobody.home().toString());
        assertThat(asNobody.mayEnter(dir)).isTrue();
        assertThat(asNobody.mayEnter(closed)).isFalse();
        assertThat(asNobody.mayRead(file)).as("a readable file in a directory closed to the user").isFalse();

        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(asNobody.mayRead(file)).isTrue();
    }
}
