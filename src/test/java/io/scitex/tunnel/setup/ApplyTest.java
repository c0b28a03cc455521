package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.fleet.TunnelsFile;
import io.scitex.tunnel.fleet.TunnelsFileWriter;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.testing.FakeBastionNetwork;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.testing.TunnelUnits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply over fakes: what it plans, which systemctl calls it makes, and what it leaves when something fails. */
class ApplyTest {
    private static final String BASTION = "tunnel@bastion.example.com";
    @TempDir
    Path root;
    private TestMachine machine;
    private ScitexTunnel api;
    private Path key;

    @BeforeEach
    void machine() {
        machine = new TestMachine(root);
        key = machine.key("id_ed25519");
        machine.knowsHost("bastion.example.com");
        api = machine.api();
    }

    private String file(int... ports) {
        StringBuilder text = new StringBuilder("[defaults]\nbastion = \"" + BASTION + "\"\nkey = \"" + key
                + "\"\nwait = 2\n");
        for (int port : ports) {
            text.append("\n[[tunnel]]\nport = ").append(port).append('\n');
        }
        return text.toString();
    }

    private ApplyResult apply(String text, boolean check, boolean prune) {
        return api.apply(TunnelsFile.parse(text, Path.of("tunnels.toml")).tunnels(), check, prune);
    }

    private static Map<Integer, String> actions(ApplyResult result) {
        return result.tunnels().stream().collect(Collectors.toMap(AppliedTunnel::port,
                t -> t.action().word() + "/" + t.result().word()));
    }

    @Test
    void createsEveryTunnelWithOneReloadOneEnableAndOneRestart() {
        ApplyResult result = apply(file(2222, 2223, 8888), false, false);

        assertThat(actions(result)).containsOnly(Map.entry(2222, "create/ok"), Map.entry(2223, "create/ok"),
                Map.entry(8888, "create/ok"));
        assertThat(result.changed()).isTrue();
        assertThat(result.succeeded()).isTrue();
        assertThat(machine.services().changes()).containsExactly("daemon-reload",
                "enable autossh-tunnel-2222.service autossh-tunnel-2223.service autossh-tunnel-8888.service",
                "restart autossh-tunnel-2222.service autossh-tunnel-2223.service autossh-tunnel-8888.service");
        assertThat(machine.tunnelFiles()).contains("units/autossh-tunnel-2222.service", "config/2222/known_hosts",
                "units/autossh-tunnel-8888.service", "config/8888/known_hosts");
        assertThat(result.tunnels()).allSatisfy(t -> assertThat(t.detail()).startsWith("localhost:"));
    }

    @Test
    void reapplyingChangesNothing() {
        apply(file(2222, 2223), false, false);
        int before = machine.services().changes().size();

        ApplyResult again = apply(file(2222, 2223), false, false);

        assertThat(actions(again)).containsOnly(Map.entry(2222, "unchanged/ok"), Map.entry(2223, "unchanged/ok"));
        assertThat(again.changed()).isFalse();
        assertThat(machine.services().changes()).hasSize(before);
    }

    @Test
    void aChangedTargetRestartsOnlyThatTunnel() {
        apply(file(2222, 2223), false, false);
        List<String> before = machine.services().changes();

        ApplyResult changed = apply(file(2222, 2223) + "target = \"localhost:8022\"\n", false, false);

        assertThat(actions(changed)).containsOnly(Map.entry(2222, "unchanged/ok"), Map.entry(2223, "replace/ok"));
        assertThat(changed.tunnels().get(1).detail()).startsWith("localhost:2223 on the bastion works: ");
        assertThat(machine.services().changes().subList(before.size(), machine.services().changes().size()))
                .containsExactly("daemon-reload", "enable autossh-tunnel-2223.service", "restart autossh-tunnel-2223.service");
    }

    @Test
    void checkPlansAndChangesNothing() throws IOException {
        apply(file(2222), false, false);
        List<String> files = machine.tunnelFiles();
        String unit = Files.readString(machine.layout().unitDirectory().resolve("autossh-tunnel-2222.service"));
        int before = machine.services().changes().size();

        ApplyResult plan = apply(file(2222, 2223) + "target = \"localhost:8022\"\n", true, true);

        assertThat(actions(plan)).containsOnly(Map.entry(2222, "unchanged/ok"), Map.entry(2223, "create/planned"));
        assertThat(plan.changed()).isTrue();
        assertThat(machine.tunnelFiles()).isEqualTo(files);
        assertThat(Files.readString(machine.layout().unitDirectory().resolve("autossh-tunnel-2222.service"))).isEqualTo(unit);
        assertThat(machine.services().changes()).hasSize(before);
        assertThat(machine.network().calls()).noneMatch(call -> call.startsWith("login") && call.contains("2223"));
    }

    @Test
    void unlistedTunnelsStayUnlessPruned() {
        apply(file(2222, 2223, 2224), false, false);

        ApplyResult kept = apply(file(2222), false, false);
        assertThat(actions(kept)).containsOnly(Map.entry(2222, "unchanged/ok"), Map.entry(2223, "unlisted/ok"),
                Map.entry(2224, "unlisted/ok"));
        assertThat(kept.changed()).isFalse();
        assertThat(machine.tunnelFiles()).contains("units/autossh-tunnel-2223.service");

        int before = machine.services().changes().size();
        ApplyResult pruned = apply(file(2222), false, true);
        assertThat(actions(pruned)).containsOnly(Map.entry(2222, "unchanged/ok"), Map.entry(2223, "remove/ok"),
                Map.entry(2224, "remove/ok"));
        assertThat(pruned.changed()).isTrue();
        assertThat(machine.tunnelFiles()).containsExactly("config/2222/known_hosts", "units/autossh-tunnel-2222.service");
        assertThat(machine.services().changes().subList(before, machine.services().changes().size())).containsExactly(
                "disable --now autossh-tunnel-2223.service autossh-tunnel-2224.service",
                "reset-failed autossh-tunnel-2223.service autossh-tunnel-2224.service", "daemon-reload");
    }

    @Test
    void aBadTunnelAnywhereChangesNothing() {
        apply(file(2222), false, false);
        List<String> files = machine.tunnelFiles();
        int before = machine.services().changes().size();
        String bad = file(2222, 2223) + "key = \"" + root.resolve("no-such-key") + "\"\n";

        assertThatThrownBy(() -> apply(bad, false, true)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("tunnels.toml:9: tunnel on port 2223: key ");
        assertThat(machine.tunnelFiles()).isEqualTo(files);
        assertThat(machine.services().changes()).hasSize(before);
    }

    @Test
    void systemctlCallsDoNotGrowWithTheNumberOfTunnels() {
        TestMachine few = new TestMachine(root.resolve("few"));
        TestMachine many = new TestMachine(root.resolve("many"));
        int[] five = IntStream.rangeClosed(3001, 3005).toArray();
        int[] fifty = IntStream.rangeClosed(3001, 3050).toArray();
        for (TestMachine m : List.of(few, many)) {
            m.knowsHost("bastion.example.com");
        }
        String fewFile = file(five).replace(key.toString(), few.key("id").toString());
        String manyFile = file(fifty).replace(key.toString(), many.key("id").toString());
        List<DeclaredTunnel> fewTunnels = TunnelsFile.parse(fewFile, Path.of("t")).tunnels();
        List<DeclaredTunnel> manyTunnels = TunnelsFile.parse(manyFile, Path.of("t")).tunnels();

        few.api().apply(fewTunnels, false, false);
        many.api().apply(manyTunnels, false, false);
        assertThat(many.services().calls()).hasSameSizeAs(few.services().calls()).hasSizeLessThanOrEqualTo(6);

        int fewBefore = few.services().calls().size();
        int manyBefore = many.services().calls().size();
        few.api().apply(fewTunnels, false, false);
        many.api().apply(manyTunnels, false, false);
        assertThat(many.services().calls().size() - manyBefore).isEqualTo(few.services().calls().size() - fewBefore)
                .isEqualTo(1); // one systemctl show, nothing else
    }

    @Test
    void aFailedStartPutsEveryTunnelBackAndSaysSo() {
        machine.services().failing("restart", "Unit autossh-tunnel-2222.service failed to start");

        ApplyResult result = apply(file(2222, 2223), false, false);

        assertThat(actions(result)).containsOnly(Map.entry(2222, "create/failed"), Map.entry(2223, "create/failed"));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.tunnels().get(0).detail()).startsWith("systemd could not start it, so it was put back as it was:");
        assertThat(machine.tunnelFiles()).isEmpty();
    }

    @Test
    void aTunnelThatFailsItsChecksIsLeftOutAndTheOthersAreApplied() {
        machine.network().portTaken(2223);

        ApplyResult result = apply(file(2222, 2223), false, false);

        assertThat(actions(result)).containsOnly(Map.entry(2222, "create/ok"), Map.entry(2223, "create/failed"));
        assertThat(result.tunnels().get(1).detail()).contains("port 2223 is taken on the bastion");
        assertThat(machine.tunnelFiles()).containsExactly("config/2222/known_hosts", "units/autossh-tunnel-2222.service");
    }

    @Test
    void declaredHostKeysArePinnedExactlyAndAChangeReplacesTheTunnel() throws IOException {
        String hostKey = TestMachine.publicKeyText();
        ApplyResult created = apply(file(2222) + "host_keys = [\"" + hostKey + "\"]\n", false, false);
        assertThat(actions(created)).containsOnly(Map.entry(2222, "create/ok"));
        assertThat(Files.readString(machine.layout().knownHosts(2222))).contains("bastion.example.com " + hostKey);

        assertThat(actions(apply(file(2222) + "host_keys = [\"" + hostKey + "\"]\n", false, false)))
                .containsOnly(Map.entry(2222, "unchanged/ok"));
        ApplyResult rekeyed = apply(file(2222) + "host_keys = [\"" + TestMachine.publicKeyText() + "\"]\n", true, false);
        assertThat(rekeyed.tunnels()).singleElement().satisfies(t -> {
            assertThat(t.action()).isEqualTo(ApplyAction.REPLACE);
            assertThat(t.detail()).isEqualTo("its pinned host keys differ from host_keys");
        });
    }

    @Test
    void aStoppedTunnelIsRestarted() {
        apply(file(2222), false, false);
        machine.services().state(2222, "failed", "failed");

        ApplyResult result = apply(file(2222), true, false);

        assertThat(result.tunnels()).singleElement().satisfies(t -> {
            assertThat(t.action()).isEqualTo(ApplyAction.REPLACE);
            assertThat(t.detail()).isEqualTo("its service is failed (failed)");
        });
    }

    @Test
    void aTunnelWhoseServiceCannotStartFailsAtOnceAndIsRolledBackWhileTheOthersComeUp() {
        machine.network().probingEvery(tunnel -> tunnel.port() == 2223 ? new ProbeOutcome(
                ProbeOutcome.Result.FORWARD_MISSING, "nothing listens on localhost:2223", Duration.ofMillis(5))
                : FakeBastionNetwork.up());
        machine.journal().add("autossh-tunnel-2223.service", JournalEvent.of(TestMachine.NOW, 1,
                "autossh-tunnel-2223.service: Failed at step EXEC spawning /opt/gone/autossh: No such file or directory"));
        long started = System.nanoTime();

        ApplyResult result = apply(file(2222, 2223).replace("wait = 2", "wait = 600\nrollback = true"), false, false);

        assertThat(actions(result)).containsOnly(Map.entry(2222, "create/ok"), Map.entry(2223, "create/failed"));
        assertThat(result.tunnels().get(1).detail()).startsWith("its service cannot start: autossh-tunnel-2223.service:"
                + " Failed at step EXEC spawning /opt/gone/autossh: No such file or directory; fix: ")
                .endsWith("; removed it again (rollback = true)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the 600 s wait").isLessThan(Duration.ofMinutes(1));
        assertThat(machine.tunnelFiles()).noneMatch(file -> file.contains("2223"));
    }

    @Test
    void anExportedMachineAppliedBackIsUnchanged() {
        apply(file(2222), false, false);
        new TunnelUnits(machine.layout().unitDirectory()).python(2225, "-M 0 -o \"ServerAliveInterval 30\" -NR"
                + " 2225:localhost:22 " + BASTION + " -i " + key);
        machine.services().state(2225, "active", "running");
        Export.Exported exported = api.export();
        String text = TunnelsFileWriter.write(exported.tunnels(), List.of("exported"));

        ApplyResult back = api.apply(TunnelsFile.parse(text, Path.of("exported.toml")).tunnels(), false, true);

        assertThat(actions(back)).containsOnly(Map.entry(2222, "unchanged/ok"), Map.entry(2225, "unchanged/ok"));
        assertThat(back.tunnels().get(1).detail()).isEqualTo("as declared (written by another tool, left as it is)");
    }

    @Test
    void aNativeTunnelIsExportedWithItsPassphraseFileAndAppliedBackUnchanged() throws Exception {
        machine.installedAt(Path.of("/opt/scitex-tunnel/bin/scitex-tunnel"), Path.of("/opt/jdk"))
                .withPrograms("systemctl");
        Path protectedKey = OpenSsh.generate(machine.user().home().resolve(".ssh/protected"), "ed25519", "pass phrase");
        Path passphrase = Files.writeString(machine.user().home().resolve(".ssh/protected.passphrase"), "pass phrase\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        apply("[[tunnel]]\nport = 2222\nbastion = \"" + BASTION + "\"\nkey = \"" + protectedKey
                + "\"\nengine = \"native\"\npassphrase_file = \"" + passphrase + "\"\nwait = 2\n", false, false);

        Export.Exported exported = api.export();
        String text = TunnelsFileWriter.write(exported.tunnels(), List.of("exported"));

        assertThat(exported.notes()).isEmpty();
        assertThat(text).contains("passphrase_file = \"" + passphrase + "\"");
        assertThat(actions(api.apply(TunnelsFile.parse(text, Path.of("exported.toml")).tunnels(), false, true)))
                .containsOnly(Map.entry(2222, "unchanged/ok"));
    }

    @Test
    void aForeignUnitThatDiffersIsRewrittenAsThisToolWritesUnits() throws IOException {
        new TunnelUnits(machine.layout().unitDirectory()).python(2225, "-M 0 -NR 2225:localhost:22 " + BASTION
                + " -i " + key);
        machine.services().state(2225, "active", "running");

        ApplyResult result = apply(file(2225) + "target = \"localhost:8022\"\n", false, false);

        assertThat(actions(result)).containsOnly(Map.entry(2225, "replace/ok"));
        assertThat(Files.readString(machine.layout().unitDirectory().resolve("autossh-tunnel-2225.service")))
                .startsWith("# Written by scitex-tunnel").contains("StrictHostKeyChecking=yes");
    }
}
