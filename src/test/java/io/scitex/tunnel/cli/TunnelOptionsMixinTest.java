package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.unit.RunCommandLine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * -p, -b, -s and --target, as setup and run share them. run is only ever given input it refuses before it
 * connects anywhere: a run that started would hold its tunnel until a signal.
 */
class TunnelOptionsMixinTest {
    private static final String BASTION = "SCITEX_TUNNEL_BASTION_SERVER";
    private static final String KEY = "SCITEX_TUNNEL_SECRET_KEY_PATH";

    @TempDir
    Path root;

    private Cli cli(Map<String, String> environment) {
        Map<String, String> withRuntime = new HashMap<>(environment);
        withRuntime.put("RUNTIME_DIRECTORY", root.resolve("runtime").toString());
        return new Cli(root, withRuntime);
    }

    private static OptionSpec option(Object command, String name) {
        return new CommandLine(command).getCommandSpec().findOption(name);
    }

    @Test
    void runsOptionsAreTheNamesOfTheRunCommandLine() {
        List<String> names = List.of(RunCommandLine.PORT_SHORT, RunCommandLine.PORT, RunCommandLine.BASTION_SHORT,
                RunCommandLine.BASTION, RunCommandLine.KEY_SHORT, RunCommandLine.KEY, RunCommandLine.TARGET,
                RunCommandLine.KNOWN_HOSTS, RunCommandLine.KEEPALIVE, RunCommandLine.KEEPALIVE_COUNT,
                RunCommandLine.PASSPHRASE_FILE);
        for (String name : names) {
            assertThat(option(new RunCommand(), name)).as(name).isNotNull();
        }
        assertThat(option(new RunCommand(), RunCommandLine.TARGET).defaultValue()).isEqualTo(RunCommandLine.DEFAULT_TARGET);
    }

    @Test
    void setupAndRunDescribeTheSharedOptionsAlike() {
        for (String name : List.of("--port", "--bastion", "--target")) {
            OptionSpec setup = option(new SetupCommand(), name);
            OptionSpec run = option(new RunCommand(), name);
            assertThat(setup.names()).isEqualTo(run.names());
            assertThat(setup.paramLabel()).isEqualTo(run.paramLabel());
            assertThat(setup.description()).isEqualTo(run.description());
        }
        assertThat(option(new SetupCommand(), "--port").description()).containsExactly(
                "Port the bastion listens on (its loopback) for this tunnel, 1-65535.");
        assertThat(option(new SetupCommand(), "--bastion").description()).containsExactly(
                "The bastion to connect to. Default: $" + BASTION + ".");
    }

    @Test
    void onlySetupsKeyDefaultsToTheKeygenKey() {
        assertThat(option(new SetupCommand(), "-s").description()).containsExactly("Private key for the bastion; ~ means"
                + " your home. Default: $" + KEY + ", else the tunnel's own key from `scitex-tunnel keygen -p PORT`.");
        assertThat(option(new RunCommand(), "-s").description()).containsExactly("Private key for the bastion"
                + " (OpenSSH or PEM: ed25519, ECDSA, RSA). Default: $" + KEY + ".");
    }

    @ParameterizedTest
    @ValueSource(strings = {"setup", "run"})
    void helpKeepsItsOrderAndFitsEightyColumns(String command) {
        CommandLine commandLine = new CommandLine(command.equals("setup") ? new SetupCommand() : new RunCommand());
        commandLine.setUsageHelpWidth(80);
        String help = commandLine.getUsageMessage();

        assertThat(help).containsSubsequence("-p, --port=PORT", "-b, --bastion=[USER@]HOST[:SSHPORT]", "-s, --key=KEY",
                "--target=HOST:PORT");
        assertThat(help.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(80));
    }

    @Test
    void parsesBastionAndTargetWhileReadingTheCommandLine() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("-p", "2222", "-b", "user@[2001:db8::1]:2200", "--target", "127.0.0.1:8080");

        assertThat(run.tunnel.port()).isEqualTo(2222);
        assertThat(run.tunnel.bastion(Map.of())).isEqualTo(BastionAddress.parse("user@[2001:db8::1]:2200"));
        assertThat(run.tunnel.target()).isEqualTo(new TargetAddress("127.0.0.1", 8080));
        SetupCommand setup = new SetupCommand();
        new CommandLine(setup).parseArgs("-p", "2222");
        assertThat(setup.tunnel.target()).isEqualTo(TargetAddress.LOCAL_SSHD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"setup", "run"})
    void bothNameTheVariableOfAMissingBastion(String command) {
        cli(Map.of()).run(command, "-p", "2222", "-s", "/nonexistent/key").isError(usageCode(command))
                .errContains("scitex-tunnel: bastion is missing: give -b [USER@]HOST[:SSHPORT] or set " + BASTION);
        cli(Map.of(BASTION, "")).run(command, "-p", "2222", "-s", "/nonexistent/key").isError(usageCode(command))
                .errContains("bastion is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"setup", "run"})
    void bothCheckTheBastionFromOptionAndEnvironmentAlike(String command) {
        cli(Map.of()).run(command, "-p", "2222", "-b=-oProxyCommand=x", "-s", "/nonexistent/key")
                .isError(usageCode(command))
                .errContains("scitex-tunnel: bastion '-oProxyCommand=x' starts with '-'");
        cli(Map.of(BASTION, "-oProxyCommand=x")).run(command, "-p", "2222", "-s", "/nonexistent/key")
                .isError(usageCode(command))
                .errContains("scitex-tunnel: bastion '-oProxyCommand=x' starts with '-'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"setup", "run"})
    void bothRejectABadTargetInTheModelsWords(String command) {
        cli(Map.of()).run(command, "-p", "2222", "-b", "bastion", "-s", "/nonexistent/key", "--target", "localhost")
                .isError(usageCode(command)).errContains("scitex-tunnel: target 'localhost' must be HOST:PORT");
    }

    @Test
    void runTakesBastionAndKeyFromTheEnvironment() {
        Path key = root.resolve("env_key");

        cli(Map.of(BASTION, "user@bastion.example.com", KEY, key.toString())).run("run", "-p", "2222")
                .isError(ExitCode.CONFIG)
                .errContains("key " + key + " does not exist");
    }

    @Test
    void runsOptionsOverrideTheEnvironment() {
        Path key = root.resolve("option_key");

        cli(Map.of(BASTION, "bad host", KEY, "/env/key")).run("run", "-p", "2222", "-b", "bastion", "-s", key.toString())
                .isError(ExitCode.CONFIG).errContains("key " + key + " does not exist");
    }

    @Test
    void runNeedsAKey() {
        cli(Map.of()).run("run", "-p", "2222", "-b", "bastion").isError(ExitCode.CONFIG)
                .errContains("scitex-tunnel: key is missing: give -s KEY");
        cli(Map.of()).run("run", "-p", "2222", "-b", "bastion", "-s", " ").isError(ExitCode.CONFIG)
                .errContains("key is missing");
    }

    @Test
    void runExpandsTildeInTheKey() {
        Path home = Path.of(System.getProperty("user.home"));

        cli(Map.of()).run("run", "-p", "2222", "-b", "bastion", "--key=~/no_such_scitex_tunnel_key").isError(ExitCode.CONFIG)
                .errContains("key " + home.resolve("no_such_scitex_tunnel_key") + " does not exist");
    }

    /** A bad value is a usage error, but for run a configuration error: what a service cannot mend by restarting. */
    private static int usageCode(String command) {
        return command.equals("run") ? ExitCode.CONFIG : ExitCode.USAGE;
    }
}
