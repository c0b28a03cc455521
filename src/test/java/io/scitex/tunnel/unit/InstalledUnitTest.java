package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class InstalledUnitTest {
    private static final Path KNOWN_HOSTS = Path.of("/etc/scitex-tunnel/2222/known_hosts");

    private static TunnelSpec spec(ProbeKind probe) {
        return TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("user@bastion.example.com"))
                .key(Path.of("/home/alice/.ssh/id_ed25519")).serviceUser("alice").probe(probe).build();
    }

    @ParameterizedTest
    @EnumSource(ProbeKind.class)
    void theProbeKindAUnitIsWrittenWithReadsBack(ProbeKind probe) {
        String unit = TunnelUnit.render(spec(probe), UnitProgram.autossh(AutosshCommandLine.argv(Path.of("/usr/bin/autossh"),
                spec(probe), KNOWN_HOSTS), AutosshCommandLine.ENVIRONMENT), "0.1.0");

        assertThat(unit).contains("X-ScitexTunnelProbe=" + probe.label() + "\n");
        assertThat(InstalledUnit.parse(unit).probe()).isEqualTo(probe);
        assertThat(InstalledUnit.parse(unit).engine()).isEqualTo(Engine.AUTOSSH);
    }

    @Test
    void aUnitWithoutAProbeKindOrWithOneFromANewerVersionIsProbedByItsGreeting() {
        String old = "[Service]\nExecStart=/usr/bin/autossh -M 0 -NR 2222:localhost:22 user@bastion.example.com\n";

        assertThat(InstalledUnit.parse(old).probe()).isEqualTo(ProbeKind.GREETING);
        assertThat(InstalledUnit.parse("[Unit]\nX-ScitexTunnelProbe=quantum\n" + old).probe()).isEqualTo(ProbeKind.GREETING);
        assertThat(InstalledUnit.NONE.probe()).isEqualTo(ProbeKind.GREETING);
    }

    @Test
    void aUnitThatRunsTheNativeEngineSaysSo() {
        TunnelSpec spec = spec(ProbeKind.SILENT);
        UnitProgram program = new UnitProgram(Engine.NATIVE, RunCommandLine.argv(Path.of("/opt/st/bin/scitex-tunnel"),
                spec, KNOWN_HOSTS), RunCommandLine.environment(Path.of("/usr/lib/jvm/java-17/bin/java")),
                List.of(Path.of("/opt/st")), Optional.empty());

        InstalledUnit unit = InstalledUnit.parse(TunnelUnit.render(spec, program, "0.1.0"));

        assertThat(unit.engine()).isEqualTo(Engine.NATIVE);
        assertThat(unit.probe()).isEqualTo(ProbeKind.SILENT);
    }
}
