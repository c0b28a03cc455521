package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.Version;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    @TempDir
    Path root;

    private Cli cli() {
        return new Cli(root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void printsVersion(String option) {
        Cli.Run run = cli().run(option);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("scitex-tunnel " + Version.current() + System.lineSeparator())
                .matches("scitex-tunnel \\d+\\.\\d+\\.\\d+\\S*\\s*");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void printsHelp(String option) {
        Cli.Run run = cli().run(option);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: scitex-tunnel", "setup", "status", "remove", "Exit codes");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"setup,setup", "setup-tunnel,setup", "status,status", "show-status,status", "remove,remove",
        "remove-tunnel,remove", "completion,completion"})
    void printsHelpOfEverySubcommandAndAlias(String command, String name) {
        Cli.Run run = cli().run(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: scitex-tunnel " + name + " ");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"setup", "status", "remove"})
    void helpCommandPrintsSubcommandHelp(String command) {
        Cli.Run run = cli().run("help", command);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: scitex-tunnel " + command);
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertThat(Main.subcommandsFor("status", "--no-probe")).containsExactly(StatusCommand.class);
        assertThat(Main.subcommandsFor("show-status")).containsExactly(StatusCommand.class);
        assertThat(Main.subcommandsFor("remove-tunnel", "-p", "2222")).containsExactly(RemoveCommand.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "help", "completion", "stat", "frobnicate"})
    void helpCompletionAndUnknownNamesGetEveryCommand(String first) {
        assertThat(Main.subcommandsFor(first)).isEqualTo(Main.SUBCOMMANDS);
        assertThat(Main.subcommandsFor()).isEqualTo(Main.SUBCOMMANDS);
    }

    @Test
    void helpOfACommandStillKnowsEveryCommand() {
        Cli.Run helpOfSetup = cli().run("help", "setup");
        assertThat(helpOfSetup.exitCode()).isZero();
        assertThat(helpOfSetup.out()).contains("--bastion");
        Cli.Run help = cli().run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("setup", "status", "remove", "demo", "completion", "show-status");
    }

    @Test
    void rejectsMissingCommand() {
        cli().run().isUsageError().errContains("a command is missing");
    }

    @Test
    void rejectsUnknownCommand() {
        cli().run("frobnicate").isUsageError().errContains("frobnicate");
    }

    @Test
    void rejectsAbbreviatedCommand() {
        cli().run("stat").isUsageError();
    }

    @Test
    void rejectsUnknownOption() {
        cli().run("--frobnicate").isUsageError().errContains("--frobnicate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo\nbar", "--x\r\nscitex-tunnel: fake", "\u001b[2J", "\u0085"})
    void keepsUsageErrorOnOneLineWhateverTheArgument(String argument) {
        cli().run(argument).isUsageError();
        cli().run("status", argument).isUsageError();
    }

    @Test
    void showsControlCharactersOfArgumentsEscaped() {
        cli().run("foo\nbar").isUsageError().errContains("'foo\\x0abar'");
        cli().run("\u001b[2J").isUsageError().errContains("'\\x1b[2J'");
    }

    @Test
    void executeWithoutWritersUsesStandardOutput() {
        PrintStream standardOutput = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = Main.execute(new Main(ScitexTunnel::system, Map.of()), "--version");
        } finally {
            System.setOut(standardOutput);
        }

        assertThat(code).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8)).startsWith("scitex-tunnel " + Version.current());
    }
}
