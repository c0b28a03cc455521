package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.EngineReport;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.testing.FakePasswd;
import io.scitex.tunnel.unit.AutosshCommandLine;
import io.scitex.tunnel.unit.InstalledUnit;
import io.scitex.tunnel.unit.RunCommandLine;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineStatesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T01:02:03Z");
    private static final String STATE = """
            {"port":2222,"bastion":"user@bastion.example.com","target":"localhost:22","engine":"native",
             "state":"waiting-for-port","since":"2026-11-25T01:00:00Z","reconnects":2,
             "last_error":"the bastion refused to forward port 2222","active_connections":1,"connections_total":5,
             "bytes_to_target":100,"bytes_from_target":200,"pid":42,"updated":"2026-11-25T01:02:00Z"}
            """;

    @TempDir
    Path run;
    private EngineStates engines;
    private final String me = System.getProperty("user.name");

    @BeforeEach
    void setUp() {
        FakePasswd passwd = new FakePasswd().user(me, run);
        engines = new EngineStates(run, new ProbeTargets(passwd.users()));
    }

    private InstalledTunnel tunnel(Engine engine) {
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("user@bastion.example.com"))
                .key(Path.of("/k/id")).serviceUser(me).build();
        Path knownHosts = Path.of("/etc/scitex-tunnel/2222/known_hosts");
        UnitProgram program = engine == Engine.NATIVE
                ? new UnitProgram(Engine.NATIVE, RunCommandLine.argv(Path.of("/opt/st/bin/scitex-tunnel"), spec, knownHosts),
                        RunCommandLine.environment(Path.of("/usr/bin/java")), List.of(), Optional.empty())
                : UnitProgram.autossh(AutosshCommandLine.argv(Path.of("/usr/bin/autossh"), spec, knownHosts),
                        AutosshCommandLine.ENVIRONMENT);
        TunnelStatus status = new TunnelStatus(2222, "autossh-tunnel-2222.service", Optional.empty(), Optional.empty(),
                "active", "running", Optional.empty(), 0, Optional.empty(),
                TunnelHealth.fromServiceState("active", "running", NOW));
        return new InstalledTunnel(status, InstalledUnit.parse(TunnelUnit.render(spec, program, "test")));
    }

    private void write(String text) throws Exception {
        Files.createDirectories(engines.file(2222).getParent());
        Files.writeString(engines.file(2222), text);
    }

    @Test
    void aNativeTunnelsStateFileIsReadFromItsRuntimeDirectory() throws Exception {
        write(STATE);

        EngineReport report = engines.of(tunnel(Engine.NATIVE)).orElseThrow();

        assertThat(engines.file(2222)).isEqualTo(run.resolve("scitex-tunnel-2222/2222.json"));
        assertThat(report.phase()).isEqualTo("waiting-for-port");
        assertThat(report.isUp()).isFalse();
        assertThat(report.reconnects()).isEqualTo(2);
        assertThat(report.lastError()).hasValue("the bastion refused to forward port 2222");
        assertThat(report.connectionsTotal()).isEqualTo(5);
        assertThat(report.summary(NOW)).isEqualTo("waiting-for-port for 123 s, 2 reconnects, 1 open connection (5 in"
                + " all), 100 B to and 200 B from the target; last error: the bastion refused to forward port 2222");
    }

    @Test
    void anAutosshTunnelHasNoEngineState() throws Exception {
        write(STATE);

        assertThat(engines.of(tunnel(Engine.AUTOSSH))).isEmpty();
    }

    @Test
    void aMissingFileAFileThatIsNoStateFileAndALinkToAnotherFileAreNotUsed() throws Exception {
        assertThat(engines.of(tunnel(Engine.NATIVE))).as("not written yet").isEmpty();

        write("{\"state\": 1}");
        assertThat(engines.of(tunnel(Engine.NATIVE))).as("not a state file").isEmpty();

        Files.delete(engines.file(2222));
        Path others = Files.writeString(run.resolve("others.json"), STATE);
        String other = me.equals("root") ? "nobody" : "root";
        if (me.equals("root")) {
            Files.setOwner(others, others.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(other));
        }
        Files.createSymbolicLink(engines.file(2222), me.equals("root") ? others : Path.of("/etc/hostname"));
        assertThat(engines.of(tunnel(Engine.NATIVE))).as("a link to a file of %s's", other).isEmpty();
    }

    @Test
    void controlCharactersFromTheFileAreEscaped() throws Exception {
        write(STATE.replace("the bastion refused", "\\u001b[2Jthe bastion refused"));

        assertThat(engines.of(tunnel(Engine.NATIVE)).orElseThrow().lastError()).hasValueSatisfying(error ->
                assertThat(error).startsWith("\\x1b[2Jthe bastion").doesNotContain("\u001b"));
    }
}
