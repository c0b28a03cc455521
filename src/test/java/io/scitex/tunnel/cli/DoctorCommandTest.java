package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
    @TempDir
    Path root;

    @Test
    void saysHowToSetUpATunnelWhenThereIsNone() {
        Cli.Run run = new Cli(root).run("doctor");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out()).startsWith("No tunnels.").contains("scitex-tunnel setup");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void printsOneJsonDocumentOnStdout() throws Exception {
        Cli.Run run = new Cli(root).run("doctor", "--json");

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(json.isArray()).isTrue();
        assertThat(json).isEmpty();
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonForAPortWithoutTunnelExitsWith4AndPrintsNoJson() throws Exception {
        Files.createDirectories(root.resolve("units"));

        new Cli(root).run("doctor", "--json", "-p", "9").isError(ExitCode.NO_SUCH_TUNNEL)
                .errContains("no tunnel on port 9");
    }
}
