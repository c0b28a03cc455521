package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.FakeServiceManager;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shutdown hook's logic, run by hand: the JVM's own hooks are never touched. */
class RestoreOnShutdownTest {
    private static final String NAME = "autossh-tunnel-2222.service";

    @TempDir
    Path root;

    private TestMachine machine;
    private FakeServiceManager services;
    private UnitInstaller installer;
    private PortLocks locks;
    private PortLock lock;
    private final RecordedHooks hooks = new RecordedHooks();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Hooks kept here instead of the JVM's. */
    private static final class RecordedHooks implements RestoreOnShutdown.Hooks {
        final List<Thread> registered = new ArrayList<>();

        @Override
        public void add(Thread hook) {
            registered.add(hook);
        }

        @Override
        public void remove(Thread hook) {
            registered.remove(hook);
        }

        /** What the JVM does on SIGINT or SIGTERM: runs the hooks. */
        void shutDown() {
            List.copyOf(registered).forEach(Thread::run);
        }
    }

    @BeforeEach
    void machine() {
        machine = new TestMachine(root);
        services = machine.services();
        locks = new PortLocks(machine.layout().lockDirectory(), Duration.ofMillis(200));
        installer = new UnitInstaller(machine.layout(), new UnitDirectory(machine.layout().unitDirectory()), services,
                locks);
        lock = installer.lock(2222, PortLocks.Purpose.SETUP);
    }

    @AfterEach
    void release() {
        lock.close();
    }

    private RestoreOnShutdown guard() {
        return RestoreOnShutdown.register(installer, lock, hooks, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String unit() throws Exception {
        return Files.readString(root.resolve("units").resolve(NAME));
    }

    private String pins() throws Exception {
        return Files.readString(root.resolve("config/2222/known_hosts"));
    }

    private String said() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Whether another setup could take the port now. */
    private boolean lockIsFree() {
        try (PortLock next = locks.acquire(2222, PortLocks.Purpose.SETUP)) {
            return next.port() == 2222;
        } catch (TunnelException held) {
            return false;
        }
    }

    @Test
    void theHookIsRegisteredUntilClose() {
        RestoreOnShutdown guard = guard();
        assertThat(hooks.registered).hasSize(1);

        guard.close();

        assertThat(hooks.registered).isEmpty();
    }

    @Test
    void aSignalDuringTheWaitPutsBackThePreviousTunnelAndLetsGoOfTheLock() throws Exception {
        installer.install(2222, "old unit\n", "old pins\n", Optional.empty());
        RestoreOnShutdown guard = guard();
        guard.install("new unit\n", "new pins\n", Optional.empty());

        hooks.shutDown();

        assertThat(unit()).isEqualTo("old unit\n");
        assertThat(pins()).isEqualTo("old pins\n");
        assertThat(services.changes()).endsWith("daemon-reload", "restart " + NAME);
        assertThat(said()).isEqualTo("scitex-tunnel: interrupted: put back the previous tunnel on port 2222\n");
        assertThat(lockIsFree()).isTrue();
    }

    @Test
    void aSignalDuringTheWaitOfAFirstSetupLeavesNothing() {
        RestoreOnShutdown guard = guard();
        guard.install("new unit\n", "new pins\n", Optional.empty());

        hooks.shutDown();

        assertThat(machine.tunnelFiles()).isEmpty();
        assertThat(services.changes()).endsWith("disable --now " + NAME, "daemon-reload");
        assertThat(said()).isEqualTo("scitex-tunnel: interrupted: removed the tunnel just set up on port 2222\n");
    }

    @Test
    void aSignalDuringTheInstallWaitsForItToEndAndThenUndoesIt() throws Exception {
        installer.install(2222, "old unit\n", "old pins\n", Optional.empty());
        CountDownLatch restarting = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        services.pausingOnce("restart", restarting, proceed);
        RestoreOnShutdown guard = guard();
        CompletableFuture<UnitInstaller.Installed> install = CompletableFuture.supplyAsync(
                () -> guard.install("new unit\n", "new pins\n", Optional.empty()));
        assertThat(restarting.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> signal = CompletableFuture.runAsync(hooks::shutDown);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !signal.isDone());
        assertThat(unit()).as("the install is under way, the hook waits").isEqualTo("new unit\n");
        proceed.countDown();

        install.get(10, TimeUnit.SECONDS);
        signal.get(10, TimeUnit.SECONDS);
        assertThat(unit()).isEqualTo("old unit\n");
        assertThat(pins()).isEqualTo("old pins\n");
    }

    @Test
    void afterASignalNothingIsInstalled() {
        RestoreOnShutdown guard = guard();
        hooks.shutDown();

        assertThatThrownBy(() -> guard.install("new unit\n", "new pins\n", Optional.empty())).isInstanceOf(TunnelException.class)
                .hasMessage("setup was interrupted before it wrote anything");

        assertThat(machine.tunnelFiles()).isEmpty();
        assertThat(services.calls()).isEmpty();
        assertThat(said()).isEmpty();
    }

    @Test
    void aRollbackAndASignalRestoreOnlyOnce() {
        RestoreOnShutdown guard = guard();
        guard.install("new unit\n", "new pins\n", Optional.empty());

        guard.restore();
        hooks.shutDown();

        assertThat(services.changes().stream().filter(call -> call.startsWith("disable --now"))).hasSize(1);
        assertThat(said()).isEmpty();
        assertThat(lockIsFree()).isTrue();
    }

    @Test
    void aSignalAfterSetupIsDoneLeavesTheTunnel() throws Exception {
        RestoreOnShutdown guard = guard();
        guard.install("new unit\n", "new pins\n", Optional.empty());
        guard.done();

        hooks.shutDown();

        assertThat(unit()).isEqualTo("new unit\n");
        assertThat(said()).isEmpty();
    }

    @Test
    void setupDoesNotReportSuccessOnceTheHookHasUndoneIt() {
        RestoreOnShutdown guard = guard();
        guard.install("new unit\n", "new pins\n", Optional.empty());
        hooks.shutDown();

        assertThatThrownBy(guard::done).isInstanceOf(TunnelException.class)
                .hasMessage("setup was interrupted, and the tunnel on port 2222 put back as it was");
    }
}
