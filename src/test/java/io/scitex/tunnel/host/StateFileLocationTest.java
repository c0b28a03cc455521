package io.scitex.tunnel.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileLocationTest {
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path tmp;
    @Test
    void systemdsRuntimeDirectoryComesFirst() {
        assertThat(StateFileLocation.resolve(2222, Map.of("RUNTIME_DIRECTORY", "/run/scitex-tunnel-2222",
                "XDG_RUNTIME_DIR", "/run/user/1000"))).contains(Path.of("/run/scitex-tunnel-2222/2222.json"));
        assertThat(StateFileLocation.resolve(2222, Map.of("RUNTIME_DIRECTORY", "/run/a:/run/b")))
                .contains(Path.of("/run/a/2222.json"));
    }

    @Test
    void withoutItTheSystemDirectoryWhenWritableElseTheUsersRuntimeDirectory() {
        Path expected = Files.isWritable(StateFileLocation.SYSTEM_DIRECTORY)
                || Files.isWritable(StateFileLocation.SYSTEM_DIRECTORY.getParent())
                ? Path.of("/run/scitex-tunnel/2222.json") : Path.of("/run/user/1000/scitex-tunnel/2222.json");
        assertThat(StateFileLocation.resolve(2222, Map.of("RUNTIME_DIRECTORY", "relative/ignored",
                "XDG_RUNTIME_DIR", "/run/user/1000"))).contains(expected);
    }

    @Test
    void theLastResortIsTheTemporaryDirectory() {
        Path resolved = StateFileLocation.resolve(2222, Map.of()).orElseThrow();
        assertThat(resolved.getFileName().toString()).isEqualTo("2222.json");
        assertThat(resolved.getParent()).isIn(StateFileLocation.SYSTEM_DIRECTORY,
                Path.of(System.getProperty("java.io.tmpdir"), "scitex-tunnel-" + System.getProperty("user.name")));
    }

    @Test
    void theTemporaryDirectoryIsMadePrivateToTheUser() throws Exception {
        Path made = StateFileLocation.temporaryDirectory(tmp, USER).orElseThrow();

        assertThat(made).isEqualTo(tmp.resolve("scitex-tunnel-" + USER));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwx------");
        assertThat(StateFileLocation.temporaryDirectory(tmp, USER)).as("found again, as the user's own").contains(made);
    }

    @Test
    void aDirectoryOthersMayWriteIsNotUsedButAFreshPrivateOneBesideIt() throws Exception {
        Path squatted = Files.createDirectory(tmp.resolve("scitex-tunnel-" + USER));
        Files.setPosixFilePermissions(squatted, PosixFilePermissions.fromString("rwxrwxrwx"));

        Path chosen = StateFileLocation.temporaryDirectory(tmp, USER).orElseThrow();

        assertThat(chosen).isNotEqualTo(squatted).hasParent(tmp);
        assertThat(chosen.getFileName().toString()).startsWith("scitex-tunnel-" + USER + "-");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(chosen))).isEqualTo("rwx------");
    }

    @Test
    void aDirectoryOfAnotherOwnerIsNotUsed() throws Exception {
        // made by this process's user, so not by "bob", the user asking
        Path someoneElses = Files.createDirectory(tmp.resolve("scitex-tunnel-bob"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));

        assertThat(StateFileLocation.temporaryDirectory(tmp, "bob").orElseThrow()).isNotEqualTo(someoneElses)
                .satisfies(chosen -> assertThat(chosen.getFileName().toString()).startsWith("scitex-tunnel-bob-"));
    }

    @Test
    void aSymlinkIsNotUsedEvenToTheUsersOwnDirectory() throws Exception {
        Path own = Files.createDirectory(tmp.resolve("elsewhere"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("scitex-tunnel-" + USER), own);

        assertThat(StateFileLocation.temporaryDirectory(tmp, USER).orElseThrow()).isNotIn(link, own);
    }

    @Test
    void withoutAPlaceToMakeOneThereIsNoStateFile() {
        assertThat(StateFileLocation.temporaryDirectory(tmp.resolve("missing"), USER)).isEmpty();
    }
}
