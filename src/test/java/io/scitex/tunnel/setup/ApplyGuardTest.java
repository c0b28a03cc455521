package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.UnitDirectory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply's shutdown hook, run by hand: the JVM's own hooks are never touched. */
class ApplyGuardTest {
    @TempDir
    Path root;
    private TestMachine machine;
    private UnitInstaller installer;
    private PortLocks locks;
    private final List<Thread> hooks = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void machine() {
        machine = new TestMachine(root);
        locks = new PortLocks(machine.layout().lockDirectory(), Duration.ofMillis(200));
        installer = new UnitInstaller(machine.layout(), new UnitDirectory(machine.layout().unitDirectory()),
                machine.services(), locks);
    }

    private ApplyGuard guard(List<PortLock> held) {
        return ApplyGuard.register(installer, held, new RestoreOnShutdown.Hooks() {
            @Override
            public void add(Thread hook) {
                hooks.add(hook);
            }

            @Override
            public void remove(Thread hook) {
                hooks.remove(hook);
            }
        }, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aSignalBeforeApplyIsDonePutsBackEveryTunnelItWroteAndReleasesTheLocks() throws Exception {
        Files.createDirectories(machine.layout().unitDirectory());
        Files.writeString(machine.layout().unitDirectory().resolve("autossh-tunnel-2222.service"), "[Service]\nold\n");
        List<PortLock> held = List.of(installer.lock(2222, PortLocks.Purpose.SETUP),
                installer.lock(2223, PortLocks.Purpose.SETUP));
        ApplyGuard guard = guard(held);
        guard.write(() -> installer.write(2222, "[Service]\nnew\n", "pins\n", Optional.empty()));
        guard.write(() -> installer.write(2223, "[Service]\nnew\n", "pins\n", Optional.empty()));

        hooks.forEach(Thread::run);

        assertThat(Files.readString(machine.layout().unitDirectory().resolve("autossh-tunnel-2222.service")))
                .isEqualTo("[Service]\nold\n");
        assertThat(machine.layout().unitDirectory().resolve("autossh-tunnel-2223.service")).doesNotExist();
        assertThat(machine.layout().knownHosts(2223)).doesNotExist();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "scitex-tunnel: interrupted: put back the 2 tunnel(s) apply had written\n");
        assertThatThrownBy(() -> guard.step(() -> { })).isInstanceOf(TunnelException.class)
                .hasMessageStartingWith("apply was interrupted");
        // the locks were let go: another setup may take the ports at once
        installer.lock(2222, PortLocks.Purpose.SETUP).close();
        installer.lock(2223, PortLocks.Purpose.SETUP).close();
    }

    @Test
    void aSignalAfterApplyIsDoneLeavesTheTunnels() throws Exception {
        List<PortLock> held = List.of(installer.lock(2222, PortLocks.Purpose.SETUP));
        try (ApplyGuard guard = guard(held)) {
            guard.write(() -> installer.write(2222, "[Service]\nnew\n", "pins\n", Optional.empty()));
            guard.done();
            hooks.forEach(Thread::run);
        }
        assertThat(machine.layout().unitDirectory().resolve("autossh-tunnel-2222.service")).exists();
        assertThat(err.size()).isZero();
        assertThat(hooks).isEmpty();
    }

    @Test
    void aTunnelPutBackByApplyIsNotPutBackTwice() throws Exception {
        List<PortLock> held = List.of(installer.lock(2222, PortLocks.Purpose.SETUP));
        ApplyGuard guard = guard(held);
        UnitInstaller.Installed written = guard.write(() -> installer.write(2222, "[Service]\nnew\n", "pins\n",
                Optional.empty()));
        guard.restore(written);
        int calls = machine.services().calls().size();

        hooks.forEach(Thread::run);

        assertThat(machine.services().calls()).hasSize(calls);
        assertThat(err.size()).isZero();
    }
}
