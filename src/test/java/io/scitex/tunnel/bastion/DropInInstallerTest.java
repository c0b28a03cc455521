package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.FakeRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file handling of {@link DropInInstaller}; BastionSystemdIT checks it against a real sshd. */
class DropInInstallerTest {
    @TempDir
    Path dir;
    private Path dropIn;
    private final Path config = Path.of("/etc/ssh/sshd_config");

    @BeforeEach
    void layout() throws Exception {
        dropIn = Files.createDirectories(dir.resolve("sshd_config.d")).resolve("scitex-tunnel.conf");
    }

    private DropInInstaller installer(FakeRunner runner) {
        return new DropInInstaller(runner, "/usr/sbin/sshd", dropIn, config, "ssh.service");
    }

    private static FakeRunner sshdSays(int exitCode, String stderr) {
        return new FakeRunner(argv -> new CommandResult(argv, argv.get(0).equals("systemctl") ? 0 : exitCode, "", stderr));
    }

    @Test
    void installsChecksThenReloadsAndASecondRunChangesNothing() throws Exception {
        FakeRunner runner = sshdSays(0, "");

        assertThat(installer(runner).apply(SshdDropIn.DEFAULT)).isEqualTo(DropInInstaller.Outcome.INSTALLED);
        assertThat(Files.readString(dropIn)).isEqualTo(SshdDropIn.DEFAULT.render());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dropIn))).isEqualTo("rw-r--r--");
        assertThat(runner.commands()).containsExactly(List.of("/usr/sbin/sshd", "-t", "-f", "/etc/ssh/sshd_config"),
                List.of("systemctl", "reload", "ssh.service"));

        FakeRunner second = sshdSays(0, "");
        assertThat(installer(second).apply(SshdDropIn.DEFAULT)).isEqualTo(DropInInstaller.Outcome.UNCHANGED);
        assertThat(second.commands()).as("nothing checked, nothing reloaded").isEmpty();
        assertThat(Files.list(dropIn.getParent())).containsExactly(dropIn);
    }

    @Test
    void whenSshdRejectsTheResultThePreviousFileIsPutBackAsItWasAndNothingIsReloaded() throws Exception {
        Files.writeString(dropIn, "# the admin's own\nClientAliveInterval 7\n");
        Files.setLastModifiedTime(dropIn, FileTime.fromMillis(1_000_000_000_000L));
        Object inode = Files.getAttribute(dropIn, "unix:ino");
        FakeRunner runner = sshdSays(255, "/etc/ssh/sshd_config line 9: Bad configuration option: BogusDirective\n");

        assertThatThrownBy(() -> installer(runner).apply(SshdDropIn.DEFAULT)).isInstanceOf(TunnelException.class)
                .hasMessageContaining("sshd -t rejected the configuration")
                .hasMessageContaining("Bad configuration option: BogusDirective")
                .hasMessageContaining("previous " + dropIn + " is in place");

        assertThat(Files.readString(dropIn)).isEqualTo("# the admin's own\nClientAliveInterval 7\n");
        assertThat(Files.getAttribute(dropIn, "unix:ino")).as("the very same file").isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(dropIn).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(runner.commands()).noneMatch(argv -> argv.get(0).equals("systemctl"));
        assertThat(Files.list(dropIn.getParent())).containsExactly(dropIn);
    }

    @Test
    void whenSshdRejectsTheResultAndThereWasNoFileNoneIsLeft() throws Exception {
        assertThatThrownBy(() -> installer(sshdSays(255, "broken")).apply(SshdDropIn.DEFAULT))
                .isInstanceOf(TunnelException.class);

        assertThat(Files.list(dropIn.getParent())).isEmpty();
    }

    @Test
    void aFailedReloadSaysTheFileIsInPlaceAndWhatToDo() {
        FakeRunner runner = new FakeRunner(argv -> new CommandResult(argv, argv.get(0).equals("systemctl") ? 5 : 0, "",
                "Failed to reload ssh.service: Unit ssh.service not found."));

        assertThatThrownBy(() -> installer(runner).apply(SshdDropIn.DEFAULT)).isInstanceOf(TunnelException.class)
                .hasMessageContaining("is installed and sshd -t accepts it")
                .hasMessageContaining("Unit ssh.service not found").hasMessageContaining("--reload-unit");
    }

    @Test
    void aMissingDirectorySaysWhatItMeans() {
        DropInInstaller nowhere = new DropInInstaller(sshdSays(0, ""), "sshd", dir.resolve("absent/x.conf"), config,
                "ssh.service");

        assertThatThrownBy(() -> nowhere.apply(SshdDropIn.DEFAULT)).isInstanceOf(TunnelException.class)
                .hasMessageContaining("does not exist");
    }
}
