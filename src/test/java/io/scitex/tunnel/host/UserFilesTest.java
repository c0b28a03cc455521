package io.scitex.tunnel.host;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserFilesTest {
    private static final int MAX = 64;

    @TempDir
    Path dir;

    private ServiceUser me;
    private UserFiles mine;

    @BeforeEach
    void thisProcessesUser() throws Exception {
        me = new Users(new CommandRunner(), Map.of()).lookup(System.getProperty("user.name"));
        mine = UserFiles.of(me);
    }

    @Test
    void readsARegularFileOfTheUsersOwn() {
        Path file = write("key", "secret\n");

        assertThat(mine.read(file, "key", MAX)).isEqualTo("secret\n".getBytes(StandardCharsets.UTF_8));
        assertThat(mine.check(file, "key", MAX).size()).isEqualTo(7);
    }

    @Test
    void aSymlinkCountsAsTheFileItLeadsTo() throws Exception {
        Path file = write("key", "secret\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);

        assertThat(mine.read(link, "key", MAX)).isEqualTo(Files.readAllBytes(file));
        assertThat(UserFiles.check(link, me.name(), "key", MAX).real()).isEqualTo(file.toRealPath());
    }

    @Test
    void aFileOfAnotherOwnerIsRefusedNamingBoth() {
        Path file = write("key", "secret\n");

        assertThatThrownBy(() -> UserFiles.check(file, "nobody", "key", MAX)).isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + file + " belongs to " + me.name() + ", not to nobody: chown nobody " + file)
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void aSymlinkToAnotherOwnersFileIsRefusedWithoutAdvisingChown() throws Exception {
        Path file = write("shadow", "root:secret\n");
        Path link = Files.createSymbolicLink(dir.resolve("k.pub"), file);

        assertThatThrownBy(() -> UserFiles.check(link, "nobody", "public key", MAX))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("public key " + link + " (a link to " + file.toRealPath() + ") belongs to " + me.name()
                        + ", not to nobody: give a file of nobody's own")
                .hasMessageNotContaining("secret");
    }

    @Test
    void whatIsNotARegularFileIsRefused() {
        assertThatThrownBy(() -> mine.read(dir, "key", MAX)).isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + dir + " is not a regular file");
    }

    @Test
    void aFileLargerThanExpectedIsRefusedUnread() {
        Path file = write("big", "x".repeat(MAX + 1));

        assertThatThrownBy(() -> mine.read(file, "passphrase file", MAX)).isInstanceOf(InvalidInputException.class)
                .hasMessage("passphrase file " + file + " holds more than the 64 bytes any passphrase file needs:"
                        + " is it the right file?");
        assertThat(mine.read(write("exact", "x".repeat(MAX)), "passphrase file", MAX)).hasSize(MAX);
    }

    @Test
    void aMissingFileOrALinkToNothingDoesNotExist() throws Exception {
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("absent"));

        assertThatThrownBy(() -> mine.read(dir.resolve("absent"), "key", MAX)).isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + dir.resolve("absent") + " does not exist");
        assertThatThrownBy(() -> mine.read(dangling, "key", MAX)).isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + dangling + " does not exist (it is a symbolic link that leads nowhere)");
    }

    @Test
    void controlCharactersInALinksTargetAreEscaped() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("/nowhere\u001b[31m"));

        assertThatThrownBy(() -> mine.read(link, "key", MAX)).satisfies(e -> assertOneLine(e));
        Path target = write("evil\u001b[2J", "x");
        Path toTarget = Files.createSymbolicLink(dir.resolve("to-target"), target);
        assertThatThrownBy(() -> UserFiles.check(toTarget, "nobody", "key", MAX))
                .hasMessageContaining("evil\\x1b[2J").satisfies(e -> assertOneLine(e));
    }

    @Test
    void rootsOwnFileIsOneNoOtherUserCanHavePlacedOrSwapped() throws Exception {
        assertThat(UserFiles.isRootsOwn(Path.of("/etc/passwd"))).isTrue();
        assertThat(UserFiles.isRootsOwn(Path.of("/etc"))).as("a directory").isFalse();
        Prerequisites.requireRoot("files of root's own");
        Path file = write("passphrase", "x");
        assertThat(UserFiles.isRootsOwn(file)).as("in a temporary directory below the world-writable /tmp").isFalse();
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc/passwd"));
        assertThat(UserFiles.isRootsOwn(link)).as("through a link").isFalse();
    }

    /** As root for a real unprivileged account, the content is read with that account's rights. */
    @Test
    void asRootTheContentIsReadWithTheUsersRights() throws Exception {
        Prerequisites.requireRoot("reading as another user");
        ServiceUser nobody = new Users(new CommandRunner(), Map.of()).lookup("nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = write("key", "nobody's\n");
        giveTo(file, "nobody");

        assertThat(UserFiles.of(nobody).read(file, "key", MAX)).isEqualTo("nobody's\n".getBytes(StandardCharsets.UTF_8));

        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> UserFiles.of(nobody).read(file, "key", MAX)).isInstanceOf(InvalidInputException.class)
                .hasMessage("key " + file + " cannot be read by nobody, whom the tunnel runs as: Permission denied");
    }

    /**
     * The file is swapped for a link to a root-only file after the checks, right before the read (as a user
     * racing root would): the read, made with the user's rights, gets nothing.
     */
    @Test
    void aFileSwappedForALinkToRootsFileAfterTheChecksYieldsNothing() throws Exception {
        Prerequisites.requireRoot("reading as another user");
        ServiceUser nobody = new Users(new CommandRunner(), Map.of()).lookup("nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = write("secret", "root's secret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path file = write("key", "nobody's\n");
        giveTo(file, "nobody");
        CommandRunner swapping = new CommandRunner() {
            @Override
            public CommandResult run(List<String> argv) throws IOException {
                Files.delete(file);
                Files.createSymbolicLink(file, secret);
                return super.run(argv);
            }
        };

        assertThatThrownBy(() -> new UserFiles(AsUser.of(swapping, nobody)).read(file, "key", MAX))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot be read by nobody")
                .hasMessageNotContaining("secret");
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void giveTo(Path file, String user) throws IOException {
        UserPrincipal owner = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(file, owner);
    }
}
