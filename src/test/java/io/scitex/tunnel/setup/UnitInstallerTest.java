package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.FakeRunner;
import io.scitex.tunnel.testing.FakeServiceManager;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.UnitDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnitInstallerTest {
    private static final String NAME = "autossh-tunnel-2222.service";

    @TempDir
    Path root;

    private TestMachine machine;
    private FakeServiceManager services;
    private UnitInstaller installer;

    @BeforeEach
    void installer() {
        machine = new TestMachine(root);
        services = machine.services();
        installer = installerFor(machine.layout());
    }

    private UnitInstaller installerFor(SystemLayout layout) {
        return new UnitInstaller(layout, new UnitDirectory(layout.unitDirectory()), services);
    }

    private Path unit() {
        return root.resolve("units").resolve(NAME);
    }

    private Path pins() {
        return root.resolve("config/2222/known_hosts");
    }

    @Test
    void installWritesPinsAndUnitThenReloadsEnablesAndRestarts() throws Exception {
        UnitInstaller.Installed installed = installer.install(2222, "[Unit]\n", "host ssh-ed25519 AAAA\n", Optional.empty());

        assertThat(Files.readString(unit())).isEqualTo("[Unit]\n");
        assertThat(Files.readString(pins())).isEqualTo("host ssh-ed25519 AAAA\n");
        assertThat(services.changes()).containsExactly("daemon-reload", "enable " + NAME, "restart " + NAME);
        assertThat(installed.replaced()).isFalse();
        assertThat(installed.unitFile()).isEqualTo(unit());
    }

    @Test
    void installRemembersWhatItReplaced() {
        installer.install(2222, "old\n", "old pins\n", Optional.empty());

        UnitInstaller.Installed installed = installer.install(2222, "new\n", "new pins\n", Optional.empty());

        assertThat(installed.replaced()).isTrue();
        assertThat(installed.oldUnit()).hasValue("old\n");
        assertThat(installed.oldPins()).hasValue("old pins\n");
    }

    @Test
    void aFailedReplacementPutsBackTheOldUnitAndPinsAndRestartsIt() throws Exception {
        installer.install(2222, "old\n", "old pins\n", Optional.empty());
        services.failing("enable", "Access denied");

        assertThatThrownBy(() -> installer.install(2222, "new\n", "new pins\n", Optional.empty())).isInstanceOf(TunnelException.class)
                .hasMessage("setup failed and was undone: systemctl enable failed: Access denied");

        assertThat(Files.readString(unit())).isEqualTo("old\n");
        assertThat(Files.readString(pins())).isEqualTo("old pins\n");
        assertThat(services.changes()).endsWith("daemon-reload", "restart " + NAME);
    }

    @Test
    void restoringAFirstInstallStopsItAndDeletesEverything() {
        UnitInstaller.Installed installed = installer.install(2222, "new\n", "pins\n", Optional.empty());

        installer.restore(installed);

        assertThat(machine.tunnelFiles()).isEmpty();
        assertThat(root.resolve("config/2222")).doesNotExist();
        assertThat(services.changes()).endsWith("disable --now " + NAME, "daemon-reload");
    }

    @Test
    void removeStopsDisablesAndDeletesTheUnitAndItsPins() {
        installer.install(2222, "unit\n", "pins\n", Optional.empty());

        RemoveResult removed = installer.remove(2222);

        assertThat(removed.unit()).isEqualTo(NAME);
        assertThat(removed.deleted()).containsExactly(unit(), pins());
        assertThat(removed.warnings()).isEmpty();
        assertThat(machine.tunnelFiles()).isEmpty();
        assertThat(root.resolve("config")).doesNotExist();
        assertThat(services.changes()).endsWith("disable --now " + NAME, "reset-failed " + NAME, "daemon-reload");
    }

    @Test
    void removeKeepsTheConfigDirectoryWhileOtherTunnelsUseIt() {
        installer.install(2222, "unit\n", "pins\n", Optional.empty());
        installer.install(2223, "unit\n", "pins\n", Optional.empty());

        installer.remove(2222);

        assertThat(root.resolve("config/2223/known_hosts")).exists();
        assertThat(root.resolve("config/2222")).doesNotExist();
    }

    @Test
    void removeOfAPortWithoutTunnelIsNoSuchTunnel() {
        assertThatThrownBy(() -> installer.remove(2222)).isInstanceOf(NoSuchTunnelException.class);
        assertThat(services.calls()).isEmpty();
    }

    @Test
    void removeNeedsSystemd() {
        installer.install(2222, "unit\n", "pins\n", Optional.empty());
        services.notRunning();

        assertThatThrownBy(() -> installer.remove(2222)).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("systemd is not running on this machine");
        assertThat(unit()).exists();
    }

    @Test
    void aMaskedUnitMayBeReplacedOnlyWhenForced() throws Exception {
        Files.createSymbolicLink(unit(), Path.of("/dev/null"));

        assertThatThrownBy(() -> installer.requireWritable(2222, false)).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith(NAME + " is masked (" + unit() + " is a link to /dev/null or empty)")
                .hasMessageEndingWith("or replace the mask with --force");
        installer.requireWritable(2222, true);
        installer.requireWritable(2223, false);
    }

    @Test
    void anInstallOverAMaskIsNoReplacementAndItsUndoPutsTheMaskBack() throws Exception {
        Files.createSymbolicLink(unit(), Path.of("/dev/null"));
        services.failing("restart", "Unit autossh-tunnel-2222.service failed to start");

        assertThatThrownBy(() -> installer.install(2222, "new\n", "pins\n", Optional.empty())).isInstanceOf(TunnelException.class);

        assertThat(Files.readSymbolicLink(unit())).isEqualTo(Path.of("/dev/null"));
        assertThat(pins()).doesNotExist();
        assertThat(services.changes()).contains("disable --now " + NAME);
    }

    @Test
    void anInstallOverAMaskRemembersIt() throws Exception {
        Files.createSymbolicLink(unit(), Path.of("/dev/null"));

        UnitInstaller.Installed installed = installer.install(2222, "new\n", "pins\n", Optional.empty());

        assertThat(installed.replaced()).isFalse();
        assertThat(installed.unmasked()).isTrue();
        assertThat(Files.readString(unit())).isEqualTo("new\n");
    }

    @Test
    void removeLeavesAMaskInPlaceAndSaysSo() throws Exception {
        Files.createSymbolicLink(unit(), Path.of("/dev/null"));

        RemoveResult removed = installer.remove(2222);

        assertThat(Files.readSymbolicLink(unit())).isEqualTo(Path.of("/dev/null"));
        assertThat(removed.deleted()).isEmpty();
        assertThat(removed.warnings()).containsExactly(NAME + " is masked: left the mask " + unit() + " in place"
                + " (sudo systemctl unmask " + NAME + " removes it)");
    }

    @Test
    void removeLeavesTheUnitsDropInsInPlaceAndNamesEach() throws Exception {
        installer.install(2222, "unit\n", "pins\n", Optional.empty());
        Path edited = Files.createDirectories(root.resolve("units/" + NAME + ".d")).resolve("override.conf");
        Files.writeString(edited, "[Service]\nEnvironment=A=1\n");
        services.dropIns(2222, "/etc/systemd/system.control/" + NAME + ".d/50-CPUWeight.conf",
                "/usr/lib/systemd/system/service.d/10-all.conf", edited.toString());

        RemoveResult removed = installer.remove(2222);

        assertThat(removed.deleted()).containsExactly(unit(), pins());
        assertThat(edited).exists();
        assertThat(removed.warnings()).containsExactly(
                "left /etc/systemd/system.control/" + NAME + ".d/50-CPUWeight.conf in place: a drop-in scitex-tunnel"
                        + " did not write, which would change the next tunnel on port 2222 too; delete it if that is"
                        + " not wanted",
                "left " + edited + " in place: a drop-in scitex-tunnel did not write, which would change the next"
                        + " tunnel on port 2222 too; delete it if that is not wanted");
    }

    @Test
    void removeWaitsForASetupOfThePortAndThenFailsNamingIt() throws Exception {
        installer.install(2222, "unit\n", "pins\n", Optional.empty());
        UnitInstaller impatient = new UnitInstaller(machine.layout(), new UnitDirectory(machine.layout().unitDirectory()),
                services, new PortLocks(machine.layout().lockDirectory(), Duration.ofMillis(200)));

        try (PortLock setup = impatient.lock(2222, PortLocks.Purpose.SETUP)) {
            assertThat(setup.port()).isEqualTo(2222);
            int before = services.changes().size();

            assertThatThrownBy(() -> impatient.remove(2222)).isInstanceOf(TunnelException.class)
                    .hasMessage("port 2222 is being set up by PID " + ProcessHandle.current().pid()
                            + "; try again once it has finished");

            assertThat(services.changes()).hasSize(before);
        }
        assertThat(Files.readString(unit())).isEqualTo("unit\n");
        assertThat(Files.readString(pins())).isEqualTo("pins\n");
        assertThat(impatient.remove(2222).deleted()).containsExactly(unit(), pins());
    }

    @Test
    void aRemoveThatWaitedForASetupRolledBackFindsNoTunnel() throws Exception {
        installer.install(2222, "unit\n", "pins\n", Optional.empty());
        CompletableFuture<RemoveResult> remove;
        try (PortLock setup = installer.lock(2222, PortLocks.Purpose.SETUP)) {
            remove = CompletableFuture.supplyAsync(() -> installer.remove(setup.port()));
            Thread.sleep(200);
            Files.delete(unit()); // as the setup's rollback of a first install would
        }

        assertThatThrownBy(() -> remove.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(NoSuchTunnelException.class);
    }

    @Test
    void requireWritableSaysToUseSudoOrUser() {
        UnitInstaller nowhere = installerFor(new SystemLayout(root.resolve("missing"), root.resolve("config"), root.resolve("locks")));

        assertThatThrownBy(nowhere::requireWritable).isInstanceOf(TunnelException.class)
                .hasMessage("cannot write units to " + root.resolve("missing") + ": " + UnitInstaller.SYSTEM_OR_USER)
                .hasMessageContaining("run with sudo for a system tunnel").hasMessageContaining("or add --user");
    }

    /** A user's unit directory need not exist yet: the nearest directory that does must be theirs to write. */
    @Test
    void aUsersUnitDirectoryIsCreatedAtInstall() throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        SystemLayout user = SystemLayout.user(new io.scitex.tunnel.host.ServiceUser("pat", 1000, home), java.util.Map.of());
        UnitInstaller installer = installerFor(user);
        installer.requireWritable();

        installer.install(2222, "[Unit]\n", "pins\n", java.util.Optional.empty());

        assertThat(home.resolve(".config/systemd/user/autossh-tunnel-2222.service")).hasContent("[Unit]\n");
        assertThat(home.resolve(".config/scitex-tunnel/2222/known_hosts")).hasContent("pins\n");
    }

    /** A user's mask is theirs to lift, without sudo. */
    @Test
    void aUsersMaskedUnitSaysHowTheyUnmaskItThemselves() throws Exception {
        Path home = Files.createDirectories(root.resolve("home"));
        SystemLayout user = SystemLayout.user(new io.scitex.tunnel.host.ServiceUser("pat", 1000, home), java.util.Map.of());
        Path unit = Files.createDirectories(home.resolve(".config/systemd/user")).resolve(NAME);
        Files.createSymbolicLink(unit, Path.of("/dev/null"));

        assertThatThrownBy(() -> installerFor(user).requireWritable(2222, false)).isInstanceOf(TunnelException.class)
                .hasMessageContaining("unmask it first (systemctl --user unmask " + NAME + ")");
        assertThat(installerFor(user).remove(2222).warnings()).containsExactly(NAME + " is masked: left the mask "
                + unit + " in place (systemctl --user unmask " + NAME + " removes it)");
    }

    /** Directories left 0700 by an install under umask 077 (sudo's default on hardened hosts) are opened up. */
    @Test
    void installGivesItsDirectoriesAndFilesTheirModesWhateverTheUmask() throws Exception {
        Path config = Files.createDirectories(root.resolve("config/2222"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(config.getParent(), PosixFilePermissions.fromString("rwx------"));

        installer.install(2222, "unit\n", "pins\n", Optional.empty());

        assertThat(mode(root.resolve("config"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(config)).isEqualTo("rwxr-xr-x");
        assertThat(mode(pins())).isEqualTo("rw-r--r--");
        assertThat(mode(unit())).isEqualTo("rw-r--r--");
    }

    @Test
    void thePassphraseCopyIsPrivateAndGoesWithTheTunnel() throws Exception {
        installer.install(2222, "unit\n", "pins\n", Optional.of("pass phrase\n"));

        Path copy = root.resolve("config/2222/passphrase");
        assertThat(installer.passphraseFile(2222)).isEqualTo(copy);
        assertThat(Files.readString(copy)).isEqualTo("pass phrase\n");
        assertThat(mode(copy)).isEqualTo("rw-------");

        RemoveResult removed = installer.remove(2222);
        assertThat(removed.deleted()).containsExactly(unit(), pins(), copy);
        assertThat(root.resolve("config")).doesNotExist();
    }

    @Test
    void replacingATunnelWithoutPassphraseDeletesTheOldCopyAndAFailureRestoresIt() throws Exception {
        installer.install(2222, "old\n", "old pins\n", Optional.of("old phrase\n"));
        Path copy = root.resolve("config/2222/passphrase");

        installer.install(2222, "new\n", "new pins\n", Optional.empty());
        assertThat(copy).doesNotExist();

        installer.install(2222, "old\n", "old pins\n", Optional.of("old phrase\n"));
        services.failing("enable", "Access denied");
        assertThatThrownBy(() -> installer.install(2222, "new\n", "new pins\n", Optional.of("new phrase\n")))
                .isInstanceOf(TunnelException.class);
        assertThat(Files.readString(copy)).isEqualTo("old phrase\n");
        assertThat(mode(copy)).isEqualTo("rw-------");
    }

    @Test
    void restoringAFirstInstallDeletesThePassphraseCopyToo() {
        UnitInstaller.Installed installed = installer.install(2222, "new\n", "pins\n", Optional.of("phrase\n"));

        installer.restore(installed);

        assertThat(root.resolve("config/2222")).doesNotExist();
    }

    @Test
    void theServiceUserMustBeAbleToReachThePins() throws Exception {
        installer.requireReachableBy(new AsUser(FakeRunner.failing(1, "must not run"), machine.user(), false));

        Prerequisites.requireRoot("checking as another user");
        ServiceUser nobody = new Users(new CommandRunner(), Map.of()).lookup("nobody");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> installer.requireReachableBy(AsUser.of(new CommandRunner(), nobody)))
                .isInstanceOf(TunnelException.class)
                .hasMessage("nobody, whom the tunnel runs as, cannot enter " + root + ", and so could not read the pinned"
                        + " host keys in " + root.resolve("config") + ": let them (chmod o+x " + root + ")");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        installer.requireReachableBy(AsUser.of(new CommandRunner(), nobody));
    }

    @Test
    void pinFileIsTheTunnelsOwnKnownHosts() {
        assertThat(installer.pinFile(2222)).isEqualTo(pins());
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
