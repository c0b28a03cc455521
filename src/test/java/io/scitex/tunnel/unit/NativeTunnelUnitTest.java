package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The native engine's unit: what it runs, and how its sandbox differs from autossh's. */
class NativeTunnelUnitTest {
    private static final Path KNOWN_HOSTS = Path.of("/etc/scitex-tunnel/2222/known_hosts");
    private static final TunnelSpec SPEC = TunnelSpec.builder().port(2222)
            .bastion(BastionAddress.parse("user@bastion.example.com")).key(Path.of("/home/alice/.ssh/my key %h"))
            .serviceUser("alice").build();

    private static UnitProgram program(Path launcher, Path javaHome, Optional<Path> passphrase) {
        return new UnitProgram(Engine.NATIVE, RunCommandLine.argv(launcher, SPEC, KNOWN_HOSTS),
                RunCommandLine.environment(javaHome.resolve("bin/java")), List.of(launcher.getParent().getParent(),
                javaHome), passphrase);
    }

    @Test
    void execStartRunsTheLauncherWithExactlyTheEnginesArgv() {
        Path launcher = Path.of("/opt/scitex tunnel/bin/scitex-tunnel");
        UnitProgram program = program(launcher, Path.of("/usr/lib/jvm/java-17"), Optional.empty());

        UnitFile unit = UnitFile.parse(TunnelUnit.render(SPEC, program, "0.1.0"));

        assertThat(unit.execStart()).contains(program.argv());
        assertThat(unit.values("Service", "Environment")).containsExactly(
                "SCITEX_TUNNEL_JAVA=/usr/lib/jvm/java-17/bin/java", "SCITEX_TUNNEL_NO_BUILD=1");
        assertThat(unit.value("Service", "RuntimeDirectory")).contains("scitex-tunnel-2222");
        assertThat(unit.value("Unit", "Description")).hasValueSatisfying(d -> assertThat(d).contains("native engine"));
    }

    @Test
    void onlyTheNativeEngineGoesWithoutMemoryDenyWriteExecute() {
        String nativeUnit = TunnelUnit.render(SPEC, program(Path.of("/opt/st/bin/scitex-tunnel"),
                Path.of("/usr/lib/jvm/java-17"), Optional.empty()), "0.1.0");
        String autosshUnit = TunnelUnit.render(SPEC, UnitProgram.autossh(
                AutosshCommandLine.argv(Path.of("/usr/bin/autossh"), SPEC, KNOWN_HOSTS), AutosshCommandLine.ENVIRONMENT),
                "0.1.0");

        assertThat(nativeUnit).doesNotContain("MemoryDenyWriteExecute").doesNotContain("SuccessExitStatus");
        assertThat(autosshUnit).contains("MemoryDenyWriteExecute=yes\n", "SuccessExitStatus=1\n")
                .doesNotContain("RuntimeDirectory").doesNotContain("RestartPreventExitStatus");
        List<String> nativeHardening = hardening(nativeUnit);
        List<String> autosshHardening = hardening(autosshUnit);
        assertThat(autosshHardening).containsAll(nativeHardening.stream()
                .filter(line -> !line.startsWith("RuntimeDirectory=")).toList());
        assertThat(autosshHardening.stream().filter(line -> !nativeHardening.contains(line)))
                .containsExactly("MemoryDenyWriteExecute=yes");
    }

    @Test
    void aConfigurationThatCanNeverWorkIsNotRestarted() {
        UnitFile unit = UnitFile.parse(TunnelUnit.render(SPEC, program(Path.of("/opt/st/bin/scitex-tunnel"),
                Path.of("/usr/lib/jvm/java-17"), Optional.empty()), "0.1.0"));

        assertThat(unit.value("Service", "Restart")).contains("always");
        assertThat(unit.value("Service", "RestartPreventExitStatus")).contains("78");
        assertThat(TunnelUnit.CONFIGURATION_ERROR_STATUS).isEqualTo(78);
    }

    @Test
    void aLauncherOrJdkInAHomeIsBoundBackReadOnlyAndOthersAreNot() {
        UnitFile inHome = UnitFile.parse(TunnelUnit.render(SPEC, program(Path.of("/home/alice/scitex-tunnel/bin/scitex-tunnel"),
                Path.of("/root/.sdkman/candidates/java/17"), Optional.empty()), "0.1.0"));
        UnitFile system = UnitFile.parse(TunnelUnit.render(SPEC, program(Path.of("/opt/st/bin/scitex-tunnel"),
                Path.of("/usr/lib/jvm/java-17"), Optional.empty()), "0.1.0"));

        assertThat(inHome.values("Service", "BindReadOnlyPaths")).containsExactly("\"/home/alice/.ssh/my key %%h\"",
                "\"/home/alice/scitex-tunnel\"", "\"/root/.sdkman/candidates/java/17\"");
        assertThat(system.values("Service", "BindReadOnlyPaths")).containsExactly("\"/home/alice/.ssh/my key %%h\"");
        assertThat(system.value("Service", "ProtectHome")).contains("tmpfs");
    }

    @Test
    void aLauncherOrJdkUnderTheTemporaryDirectoriesIsBoundBackReadOnlyBelowThePrivateOnes() {
        UnitFile unit = UnitFile.parse(TunnelUnit.render(SPEC, program(Path.of("/tmp/checkout/bin/scitex-tunnel"),
                Path.of("/var/tmp/jdk-17"), Optional.empty()), "0.1.0"));

        assertThat(unit.execStart().orElseThrow().get(0)).isEqualTo("/tmp/checkout/bin/scitex-tunnel");
        assertThat(unit.values("Service", "BindReadOnlyPaths")).containsExactly("\"/home/alice/.ssh/my key %%h\"",
                "\"/tmp/checkout\"", "\"/var/tmp/jdk-17\"");
        assertThat(unit.value("Service", "PrivateTmp")).as("/tmp stays private all the same").contains("yes");
    }

    @Test
    void anInstallationThatIsAHiddenDirectoryItselfIsRefusedWithTheReason() {
        for (String directory : List.of("/tmp", "/var/tmp", "/root", "/home")) {
            assertThatThrownBy(() -> TunnelUnit.render(SPEC, program(Path.of(directory, "bin/scitex-tunnel"),
                    Path.of("/usr/lib/jvm/java-17"), Optional.empty()), "0.1.0"))
                    .as(directory).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("cannot run from " + directory + ":")
                    .hasMessageContaining("replaces " + directory + " with an empty directory")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> TunnelUnit.render(SPEC, program(Path.of("/opt/st/bin/scitex-tunnel"), Path.of("/tmp"),
                Optional.empty()), "0.1.0")).hasMessageContaining("PrivateTmp=yes");
    }

    @Test
    void aPassphraseFileBecomesASystemdCredential() {
        UnitFile unit = UnitFile.parse(TunnelUnit.render(SPEC, program(Path.of("/opt/st/bin/scitex-tunnel"),
                Path.of("/usr/lib/jvm/java-17"), Optional.of(Path.of("/home/alice/.ssh/tunnel.passphrase"))), "0.1.0"));

        assertThat(unit.value("Service", "LoadCredential")).contains("passphrase:/home/alice/.ssh/tunnel.passphrase");
        assertThat(unit.execStart().orElseThrow()).as("the passphrase never appears on the command line")
                .noneMatch(arg -> arg.contains("passphrase"));
    }

    @Test
    void theFileAPassphraseWasCopiedFromIsRecordedForExportWhenAUnitCanHoldItsName() {
        Path copy = Path.of("/etc/scitex-tunnel/2222/passphrase");
        for (String source : List.of("/home/alice/.ssh/tunnel.passphrase", "/home/alice/my passphrase", "/x/%h")) {
            UnitProgram program = new UnitProgram(Engine.NATIVE, program(Path.of("/opt/st/bin/scitex-tunnel"),
                    Path.of("/usr/lib/jvm/java-17"), Optional.empty()).argv(), List.of(), List.of(), Optional.of(copy),
                    Optional.of(Path.of(source)));

            InstalledUnit unit = InstalledUnit.parse(TunnelUnit.render(SPEC, program, "0.1.0"));

            assertThat(unit.passphrase()).as(source).contains(copy);
            assertThat(unit.passphraseSource()).as(source)
                    .isEqualTo(source.contains("passphrase") && !source.contains(" ") ? Optional.of(Path.of(source))
                            : Optional.empty());
        }
    }

    @Test
    void aPassphraseFileLoadCredentialCannotQuoteIsRefused() {
        for (String path : List.of("/home/alice/my passphrase", "/x/%h", "relative", "/a:b")) {
            assertThatThrownBy(() -> TunnelUnit.render(SPEC, program(Path.of("/opt/st/bin/scitex-tunnel"),
                    Path.of("/usr/lib/jvm/java-17"), Optional.of(Path.of(path))), "0.1.0"))
                    .as(path).isInstanceOf(InvalidInputException.class).hasMessageContaining("LoadCredential");
        }
    }

    @Test
    void onlyTheNativeEngineTakesAPassphrase() {
        assertThatThrownBy(() -> new UnitProgram(Engine.AUTOSSH, List.of("/usr/bin/autossh"), List.of(), List.of(),
                Optional.of(Path.of("/p")))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void environmentValuesReadBackExactly() {
        for (String value : List.of("/usr/lib/jvm/java 17/bin/java", "/a\"b\\c/java", "/100%/java")) {
            String rendered = SystemdQuoting.environmentAssignment("SCITEX_TUNNEL_JAVA=" + value);
            assertThat(UnitFile.splitExec(rendered)).as(rendered).containsExactly("SCITEX_TUNNEL_JAVA=" + value);
        }
        assertThatThrownBy(() -> SystemdQuoting.environmentAssignment("1X=y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SystemdQuoting.environmentAssignment("X=a\nb")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The sandbox lines of a unit: everything in [Service] but what it runs and how it restarts. */
    private static List<String> hardening(String unit) {
        List<String> skip = List.of("Type=", "User=", "Environment=", "ExecStart=", "Restart=", "RestartSec=",
                "SuccessExitStatus=", "RestartPreventExitStatus=", "BindReadOnlyPaths=");
        String service = unit.substring(unit.indexOf("[Service]"), unit.indexOf("[Install]"));
        return service.lines().skip(1).filter(line -> !line.isBlank())
                .filter(line -> skip.stream().noneMatch(line::startsWith)).toList();
    }
}
