package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.Hostile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

// Generated cases per run: 3000 (1 property: 3000 tries).
class TunnelUnitProperties {
    /** Every directive of a tunnel unit, by section, in order; nothing else may appear. */
    private static final List<String> DIRECTIVES = List.of("Unit/Description", "Unit/Wants", "Unit/After",
            "Unit/StartLimitIntervalSec", "Unit/X-ScitexTunnelProbe", "Service/Type", "Service/User", "Service/Environment",
            "Service/Environment", "Service/ExecStart", "Service/ProtectHome", "Service/BindReadOnlyPaths",
            "Service/ProtectSystem", "Service/PrivateTmp", "Service/PrivateDevices", "Service/DevicePolicy",
            "Service/PrivateUsers", "Service/PrivateIPC", "Service/NoNewPrivileges", "Service/CapabilityBoundingSet",
            "Service/AmbientCapabilities", "Service/ProtectKernelTunables", "Service/ProtectKernelModules",
            "Service/ProtectKernelLogs", "Service/ProtectControlGroups", "Service/ProtectClock",
            "Service/ProtectHostname", "Service/ProtectProc", "Service/ProcSubset", "Service/RestrictAddressFamilies",
            "Service/RestrictNamespaces", "Service/RestrictRealtime", "Service/RestrictSUIDSGID",
            "Service/LockPersonality", "Service/MemoryDenyWriteExecute", "Service/SystemCallArchitectures",
            "Service/SystemCallFilter", "Service/SystemCallFilter", "Service/KeyringMode", "Service/UMask",
            "Service/Restart", "Service/SuccessExitStatus", "Service/RestartSec", "Install/WantedBy");
    private static final Path KNOWN_HOSTS = Path.of("/etc/scitex-tunnel/2222/known_hosts");

    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    @Property(tries = 3000)
    void renderedUnitHasExactlyTheIntendedDirectivesAndArgv(@ForAll("keyNames") String name,
            @ForAll("bastions") String bastion, @ForAll("autosshPaths") String autossh) {
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse(bastion))
                .target(TargetAddress.parse("[::1]:22")).key(Path.of("/keys/" + name)).serviceUser("alice")
                .keepalive(new Keepalive(7, 4)).build();
        if (spec.key().toString().contains("${")) {
            Statistics.label("key").collect("refused: ${");
            assertThatThrownBy(() -> AutosshCommandLine.argv(Path.of(autossh), spec, KNOWN_HOSTS))
                    .isInstanceOf(InvalidInputException.class);
            return;
        }
        Statistics.label("key").collect("rendered");
        List<String> argv = AutosshCommandLine.argv(Path.of(autossh), spec, KNOWN_HOSTS);
        String text = TunnelUnit.render(spec, UnitProgram.autossh(argv, AutosshCommandLine.ENVIRONMENT), "0.1.0");
        UnitFile unit = UnitFile.parse(text);

        assertThat(directiveLines(text)).containsExactlyElementsOf(DIRECTIVES);
        for (String directive : DIRECTIVES) {
            String[] sectionKey = directive.split("/");
            assertThat(unit.values(sectionKey[0], sectionKey[1]))
                    .hasSize(DIRECTIVES.stream().filter(directive::equals).toList().size());
        }
        assertThat(unit.values("Service", "ExecStart")).hasSize(1);
        assertThat(unit.execStart()).contains(argv);
        assertThat(unit.value("Service", "User")).contains("alice");
        assertThat(unit.values("Service", "Environment")).isEqualTo(AutosshCommandLine.ENVIRONMENT);
        assertThat(unit.value("Service", "Restart")).contains("always");
        assertThat(unit.value("Install", "WantedBy")).contains("multi-user.target");
    }

    /** {@code section/key} of every assignment line, read line by line independently of {@link UnitFile}. */
    private static List<String> directiveLines(String text) {
        List<String> directives = new ArrayList<>();
        String section = "";
        for (String line : text.split("\n", -1)) {
            assertThat(line).doesNotEndWith("\\").doesNotContain("\r");
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line.substring(1, line.indexOf(']'));
                continue;
            }
            directives.add(section + "/" + line.substring(0, line.indexOf('=')));
        }
        return directives;
    }

    @Provide
    Arbitrary<String> keyNames() {
        return Hostile.pathText();
    }

    @Provide
    Arbitrary<String> bastions() {
        return Arbitraries.of("bastion.example.com", "tunnel@bastion.example.com:2200", "u@[2001:db8::1]:2200",
                "[fe80::1%eth0]", "host1$@10.0.0.1");
    }

    @Provide
    Arbitrary<String> autosshPaths() {
        return Arbitraries.of("/usr/bin/autossh", "/opt/auto ssh/bin/autossh", "/opt/100%/autossh");
    }
}
