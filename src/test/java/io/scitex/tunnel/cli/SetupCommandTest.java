package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.ScitexTunnel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetupCommandTest {
    @TempDir
    Path root;

    private Cli cli() {
        return new Cli(root);
    }

    private Cli.Run setup(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "setup";
        System.arraycopy(args, 0, argv, 1, args.length);
        return cli().run(argv);
    }

    @AfterEach
    void wroteNothing() throws Exception {
        assertThat(cli().written()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "70000", "65536", "abc", "-1", "1e3", " 22", ""})
    void rejectsBadPort(String port) {
        setup("-p", port, "-b", "user@bastion.example.com", "-s", "/nonexistent/key").isUsageError()
                .errContains("port");
    }

    @Test
    void rejectsMissingPort() {
        setup("-b", "user@bastion.example.com", "-s", "/k").isUsageError().errContains("--port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-b=-oProxyCommand=x", "--bastion=-oProxyCommand=x", "-b=user@-oProxyCommand=x"})
    void rejectsBastionThatWouldBeAnSshOption(String option) {
        setup("-p", "2222", option, "-s", "/nonexistent/key").isUsageError().errContains("starts with '-'");
    }

    @Test
    void rejectsBastionThatLooksLikeAnOptionInSeparateArgument() {
        setup("-p", "2222", "-b", "-oProxyCommand=x", "-s", "/nonexistent/key").isUsageError();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\nb", "bastion\r", "a\tb", "host;reboot", "'host'", "h:0", "h:abc", "[::1",
        "ünï.example", "@host"})
    void rejectsBadBastion(String bastion) {
        setup("-p", "2222", "-b", bastion, "-s", "/nonexistent/key").isUsageError().errContains("bastion");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:0", "-oProxyCommand=x:22", "a b:22", "a\nb:22"})
    void rejectsBadTarget(String target) {
        setup("-p", "2222", "-b", "bastion", "-s", "/nonexistent/key", "--target", target).isUsageError()
                .errContains("target");
    }

    @Test
    void rejectsMissingKeyFile() {
        Path key = root.resolve("absent_key");

        setup("-p", "2222", "-b", "user@bastion.example.com", "-s", key.toString()).isUsageError()
                .errContains("key " + key + " does not exist");
    }

    @Test
    void rejectsKeyPathWithControlCharacter() {
        setup("-p", "2222", "-b", "bastion", "-s", "/keys/a\nb").isUsageError().errContains("control character");
    }

    @Test
    void rejectsBlankKey() {
        setup("-p", "2222", "-b", "bastion", "-s", " ").isUsageError().errContains("key is missing");
    }

    @Test
    void missingBastionNamesTheEnvironmentVariable() {
        setup("-p", "2222", "-s", "/k").isUsageError().errContains("-b").errContains("SCITEX_TUNNEL_BASTION_SERVER");
    }

    @Test
    void emptyBastionVariableCountsAsMissing() {
        new Cli(root, Map.of("SCITEX_TUNNEL_BASTION_SERVER", "")).run("setup", "-p", "2222", "-s", "/k")
                .isUsageError().errContains("SCITEX_TUNNEL_BASTION_SERVER");
    }

    @Test
    void missingKeyNamesTheEnvironmentVariable() {
        setup("-p", "2222", "-b", "bastion").isUsageError().errContains("-s KEY")
                .errContains("SCITEX_TUNNEL_SECRET_KEY_PATH");
    }

    @Test
    void takesBastionAndKeyFromTheEnvironment() {
        Path key = root.resolve("env_key");
        Cli cli = new Cli(root, Map.of("SCITEX_TUNNEL_BASTION_SERVER", "user@bastion.example.com",
                "SCITEX_TUNNEL_SECRET_KEY_PATH", key.toString()));

        cli.run("setup", "-p", "2222").isUsageError().errContains("key " + key + " does not exist");
    }

    @Test
    void checksBastionFromTheEnvironment() {
        new Cli(root, Map.of("SCITEX_TUNNEL_BASTION_SERVER", "-oProxyCommand=x")).run("setup", "-p", "2222", "-s", "/k")
                .isUsageError().errContains("starts with '-'");
    }

    @Test
    void optionOverridesEnvironment() {
        new Cli(root, Map.of("SCITEX_TUNNEL_BASTION_SERVER", "good.example.com"))
                .run("setup", "-p", "2222", "-b", "bad host", "-s", "/k").isUsageError().errContains("'bad host'");
    }

    @Test
    void aliasRunsTheSameChecks() {
        cli().run("setup-tunnel", "-p", "0", "-b", "bastion", "-s", "/k").isUsageError().errContains("port");
    }

    @Test
    void rejectsInputBeforeTouchingTheSystem() {
        StringWriter err = new StringWriter();
        Main main = new Main(ScitexTunnel::system, Map.of());

        int code = Main.execute(main, new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                "setup", "-p", "2222", "-b", "-oProxyCommand=x", "-s", "/nonexistent/key");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(err.toString()).startsWith("scitex-tunnel: bastion '-oProxyCommand=x' starts with '-'");
    }
}
