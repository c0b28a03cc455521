package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.UnitDirectory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatusCommandTest {
    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"status", "show-status"})
    void saysHowToSetUpATunnelWhenThereIsNone(String command) {
        Cli.Run run = new Cli(root).run(command);

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("No tunnels.").contains("scitex-tunnel setup");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void printsEmptyJsonArrayWhenThereIsNoTunnel() throws Exception {
        Cli.Run run = new Cli(root).run("status", "--json");

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(json.isArray()).isTrue();
        assertThat(json).isEmpty();
    }

    @Test
    void theTableIsFollowedByTheDropInsThatChangeTheUnitsEscaped() throws Exception {
        TestMachine machine = new TestMachine(root);
        new UnitDirectory(machine.layout().unitDirectory()).write(2222, "[Unit]\n");
        machine.services().state(2222, "active", "running")
                .dropIns(2222, "/etc/systemd/system/autossh-tunnel-2222.service.d/over\u001b[2Jride.conf");
        StringWriter out = new StringWriter();

        int code = Main.execute(new Main(machine::api, Map.of()), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true), "status", "--no-probe");

        assertThat(code).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).contains("\nDrop-ins change these units (systemctl cat UNIT shows them;",
                "\n  2222  /etc/systemd/system/autossh-tunnel-2222.service.d/over\\x1b[2Jride.conf\n")
                .doesNotContain("\u001b");
    }

    @Test
    void exitsWith4ForAPortWithoutTunnel() {
        new Cli(root).run("status", "-p", "2222").isError(ExitCode.NO_SUCH_TUNNEL).errContains("no tunnel on port 2222");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "70000", "abc", "-1"})
    void rejectsBadPort(String port) {
        new Cli(root).run("status", "-p", port).isUsageError().errContains("port");
    }

    @Test
    void theTableShowsControlCharactersFromTheProbeAndTheJournalEscaped() {
        TestMachine machine = new TestMachine(root);
        Path key = machine.key("id_ed25519");
        machine.knowsHost("bastion.example.com");
        machine.api().setup(SetupRequest.builder(2222, "tunnel@bastion.example.com").key(key.toString())
                .verifyWithin(Duration.ofSeconds(2)).build());
        machine.network().probing(2222, new ProbeOutcome(ProbeOutcome.Result.FORWARD_MISSING,
                "nothing listens; it said \u001b[2J\u0007\u009b31m", Duration.ofMillis(5)));
        machine.journal().add("autossh-tunnel-2222.service", JournalEvent.of(TestMachine.NOW.minusSeconds(5), 42,
                "connect_to localhost port 22: failed. \u001b]0;pwned\u0007"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.execute(new Main(machine::api, Map.of()), new PrintWriter(out, true), new PrintWriter(err, true),
                "status", "--timeout", "1");

        assertThat(code).as(err.toString()).isEqualTo(ExitCode.NOT_UP);
        assertThat(out.toString().lines()).as(out.toString()).allSatisfy(line -> assertThat(line.codePoints()
                .filter(Character::isISOControl)).as("control characters in: " + line).isEmpty());
        assertThat(out.toString()).contains("it said \\x1b[2J\\x07\\x9b31m", "failed. \\x1b]0;pwned\\x07");
    }

    /**
     * A user's own tunnels, on a machine without linger for them (the fake has no loginctl): status and doctor
     * warn on stderr that they stop at logout; doctor counts it as a problem. JSON names scope and owner.
     */
    @Test
    void aUsersTunnelsWithoutLingerAreWarnedAboutAndTheirJsonNamesScopeAndOwner() throws Exception {
        TestMachine machine = new TestMachine(root);
        SystemLayout layout = SystemLayout.user(machine.user(), Map.of());
        ScitexTunnel own = new ScitexTunnel(layout, machine.runner(), machine.programs(), Map.of(), machine.services(),
                machine.journal(), machine.network(), Optional::empty, machine.clock());
        Files.createDirectories(layout.unitDirectory());
        new UnitDirectory(layout.unitDirectory()).write(2222, "[Unit]\n");
        machine.services().state(2222, "active", "running");
        Main main = new Main(scope -> own, Map.of());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(main, new PrintWriter(out, true), new PrintWriter(err, true), "status", "--user",
                "--no-probe");
        StringWriter json = new StringWriter();
        Main.execute(main, new PrintWriter(json, true), new PrintWriter(new StringWriter(), true), "status", "--user",
                "--json", "--no-probe");
        StringWriter doctorErr = new StringWriter();
        int doctor = Main.execute(main, new PrintWriter(new StringWriter(), true), new PrintWriter(doctorErr, true),
                "doctor", "--user", "--timeout", "1");

        assertThat(status).isEqualTo(ExitCode.OK);
        assertThat(out.toString()).containsPattern("2222 .* active \\(running\\)");
        assertThat(err.toString()).startsWith("scitex-tunnel: warning: linger is off for " + machine.user().name()
                + ": these tunnels stop when").contains("loginctl enable-linger " + machine.user().name());
        JsonNode tunnel = new ObjectMapper().readTree(json.toString()).get(0);
        assertThat(tunnel.get("scope").asText()).isEqualTo("user");
        assertThat(tunnel.get("owner").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(doctor).isEqualTo(ExitCode.NOT_UP);
        assertThat(doctorErr.toString()).contains("scitex-tunnel: PROBLEM: linger is off for");
    }
}
