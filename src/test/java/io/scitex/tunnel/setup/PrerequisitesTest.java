package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.Prerequisite;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.service.Systemctl;
import io.scitex.tunnel.testing.FakeRunner;
import io.scitex.tunnel.testing.TestMachine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrerequisitesTest {
    @TempDir
    Path root;

    private Prerequisites on(TestMachine machine) {
        return new Prerequisites(machine.programs(), machine.services());
    }

    @Test
    void aMachineWithEverythingLacksNothing() {
        assertThat(on(new TestMachine(root)).missing(Engine.AUTOSSH).isAvailable()).isTrue();
    }

    @Test
    void autosshNeedsAutosshAndTheOpenSshClient() {
        TestMachine bare = new TestMachine(root).withPrograms("systemctl");

        assertThat(on(bare).missing(Engine.AUTOSSH).missing()).extracting(Prerequisite::name)
                .containsExactly("autossh", "ssh");
        assertThat(on(bare).missing(Engine.NATIVE).isAvailable()).isTrue();
    }

    @Test
    void everyEngineNeedsSystemd() {
        TestMachine noSystemd = new TestMachine(root);
        noSystemd.services().notRunning();

        assertThat(on(noSystemd).missing(Engine.NATIVE).missing()).extracting(Prerequisite::name).containsExactly("systemd");
        assertThat(on(new TestMachine(root).withPrograms("autossh", "ssh", "ssh-keyscan")).missing(Engine.AUTOSSH)
                .missing()).extracting(Prerequisite::name).containsExactly("systemd");
    }

    @Test
    void requireNamesTheFirstMissingThingAndItsFix() {
        assertThatThrownBy(() -> on(new TestMachine(root).withPrograms("systemctl", "ssh", "ssh-keyscan"))
                .require(Engine.AUTOSSH, false)).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("autossh is missing: install autossh: sudo apt install autossh");
    }

    @Test
    void acceptNewAddsSshKeyscanEvenForTheNativeEngine() {
        TestMachine nativeOnly = new TestMachine(root).withPrograms("systemctl");

        assertThatCode(() -> on(nativeOnly).require(Engine.NATIVE, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> on(nativeOnly).require(Engine.NATIVE, true))
                .hasMessageStartingWith("ssh is missing: install the OpenSSH client");
    }

    @Test
    void aUsersManagerThatDoesNotRunIsToldApartFromAMachineWithoutSystemd() {
        TestMachine machine = new TestMachine(root);
        Systemctl usersManager = new Systemctl(FakeRunner.succeeding(""), ServiceScope.USER, root.resolve("no-runtime"));

        assertThatThrownBy(() -> new Prerequisites(machine.programs(), usersManager).require(Engine.NATIVE, false))
                .isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("systemd is missing: your systemd user manager is not running")
                .hasMessageContaining("loginctl enable-linger");
    }
}
