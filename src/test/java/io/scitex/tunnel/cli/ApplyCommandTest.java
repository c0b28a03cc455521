package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.setup.AppliedTunnel;
import io.scitex.tunnel.setup.ApplyAction;
import io.scitex.tunnel.setup.ApplyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {
    @TempDir
    Path root;

    @Test
    void aBadFileIsOneLineNamingFileLineAndFieldAndChangesNothing() throws Exception {
        Path file = Files.writeString(root.resolve("tunnels.toml"), "[defaults]\nbastion = \"b.example.org\"\n\n"
                + "[[tunnel]]\nport = 2222\ntarget = \"localhost:22\\u001b[2J\"\n");
        List<Path> before = new Cli(root).written();

        new Cli(root).run("apply", "-f", file.toString(), "--prune").isUsageError()
                .errContains(file + ":6: tunnel[1].target: ").errContains("\\x1b[2J");
        assertThat(new Cli(root).written()).isEqualTo(before);
    }

    @Test
    void withoutFileItReadsTheDefaultAndSaysWhereItLooked() {
        new Cli(root).run("apply", "--check").isUsageError()
                .errContains(root.resolve("config/tunnels.toml") + ": no such tunnels file");
    }

    @Test
    void helpExplainsTheFileAndTheExitCodes() {
        Cli.Run help = new Cli(root).run("apply", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("-f, --file=FILE", "--check", "--prune", "--json", "[[tunnel]]", "host_keys",
                "Exit codes: 0 the machine matches the file");
    }

    @Test
    void jsonSaysWhetherAnythingChangedAndWhatHappenedToEachTunnel() throws Exception {
        ApplyResult result = new ApplyResult(false, List.of(
                new AppliedTunnel(2222, ApplyAction.UNCHANGED, AppliedTunnel.Result.OK, "as declared, and running",
                        Optional.of("b.example.org"), Optional.of("localhost:22")),
                new AppliedTunnel(8888, ApplyAction.CREATE, AppliedTunnel.Result.FAILED, "port 8888 is taken\u001b",
                        Optional.of("b.example.org"), Optional.of("localhost:8888"))));

        String text = StatusJson.write(ApplyCommand.json(result));
        JsonNode json = new ObjectMapper().readTree(text);

        assertThat(json.get("changed").asBoolean()).isFalse();
        assertThat(json.get("tunnels")).hasSize(2);
        assertThat(json.get("tunnels").get(1).get("port").asInt()).isEqualTo(8888);
        assertThat(json.get("tunnels").get(1).get("action").asText()).isEqualTo("create");
        assertThat(json.get("tunnels").get(1).get("result").asText()).isEqualTo("failed");
        assertThat(json.get("tunnels").get(1).get("detail").asText()).isEqualTo("port 8888 is taken\u001b");
        assertThat(text).containsIgnoringCase("\\u001b").doesNotContain("\u001b");
    }
}
