package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.ssh.SshdAccountBlock;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.OpenSshBastion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys are given with -s in a temporary directory: the user's own ~/.ssh is never read. */
class AuthorizeCommandTest {
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path root;
    @TempDir
    Path keys;

    private Cli.Run authorize(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "authorize";
        System.arraycopy(args, 0, argv, 1, args.length);
        return new Cli(root).run(argv);
    }

    @AfterEach
    void wroteNothing() throws Exception {
        assertThat(new Cli(root).written()).isEmpty();
    }

    private static String hostComment(int port) throws Exception {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        return "scitex-tunnel-" + port + "@" + host.replaceAll("[^A-Za-z0-9._@-]", "_");
    }

    private static String expectedLine(int port, SshPublicKey key) throws Exception {
        return "command=\"/bin/false\",restrict,port-forwarding,permitlisten=\"localhost:" + port
                + "\",permitopen=\"localhost:" + port + "\" " + key.type() + " " + key.base64() + " " + hostComment(port);
    }

    @Test
    void printsExactlyTheLineOnStdoutAndTheExplanationAndTheSshdConfigBlockOnStderr() throws Exception {
        Path key = OpenSsh.generate(keys.resolve("key"), "ed25519", "");
        SshPublicKey publicKey = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(key));

        Cli.Run run = authorize("-p", "2222", "-s", key.toString(), "-b", "tunnel@bastion.example.com");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).isEqualTo(expectedLine(2222, publicKey) + "\n");
        List<String> expected = new ArrayList<>(List.of(
                "Add this line to ~/.ssh/authorized_keys of tunnel on the bastion, the account the tunnel logs in as:",
                "It lets the key hold port 2222 on the bastion's loopback and nothing else once the bastion's"
                        + " sshd_config has this block too: as root there, add it to /etc/ssh/sshd_config.d/scitex-tunnel.conf"
                        + " (or the end of /etc/ssh/sshd_config), then run `sshd -t && systemctl reload sshd`."
                        + " --sshd-config prints it alone.",
                ""));
        expected.addAll(new SshdAccountBlock("tunnel").lines());
        assertThat(run.errLines()).containsExactlyElementsOf(expected);
    }

    @Test
    void sshdConfigPrintsExactlyTheBlockOnStdoutAndWhereItGoesOnStderr() {
        Cli.Run run = authorize("-p", "2222", "-b", "tunnel@bastion.example.com:2200", "--sshd-config");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).isEqualTo(new SshdAccountBlock("tunnel").render());
        assertThat(run.errLines()).containsExactly("As root on the bastion, add this block to"
                + " /etc/ssh/sshd_config.d/scitex-tunnel.conf (or the end of /etc/ssh/sshd_config), then run:"
                + " sshd -t && systemctl reload sshd");
    }

    @Test
    void theBlockIsForTheBastionUserOfTheEnvironmentWithoutB() {
        Cli.Run run = new Cli(root, Map.of("SCITEX_TUNNEL_BASTION_SERVER", "carrier@bastion.example.com"))
                .run("authorize", "-p", "2222", "--sshd-config");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).isEqualTo(new SshdAccountBlock("carrier").render());
    }

    @Test
    void theBlockIsForYourOwnNameWhenTheBastionNamesNoUser() {
        Cli.Run bare = authorize("-p", "2222", "--sshd-config");
        Cli.Run hostOnly = authorize("-p", "2222", "-b", "bastion.example.com", "--sshd-config");

        assertThat(bare.out()).isEqualTo(new SshdAccountBlock(USER).render());
        assertThat(hostOnly.out()).isEqualTo(new SshdAccountBlock(USER).render());
    }

    @Test
    void aBastionUserThatWouldMatchOtherAccountsIsAUsageError() {
        authorize("-p", "2222", "-b", "t*@bastion.example.com", "--sshd-config").isUsageError().errContains("login name");
    }

    @Test
    void jsonGivesTheLineTheKeyAndTheBlockOnStdoutAndNothingOnStderr() throws Exception {
        Path key = OpenSsh.generate(keys.resolve("key"), "ed25519", "");
        SshPublicKey publicKey = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(key));

        Cli.Run run = authorize("-p", "2222", "-s", key.toString(), "-b", "tunnel@bastion.example.com", "--json");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("port").asInt()).isEqualTo(2222);
        assertThat(json.get("authorized_line").asText()).isEqualTo(expectedLine(2222, publicKey));
        assertThat(json.get("key_type").asText()).isEqualTo("ssh-ed25519");
        assertThat(json.get("public_key").asText()).isEqualTo("ssh-ed25519 " + publicKey.base64());
        assertThat(json.get("fingerprint").asText()).isEqualTo(OpenSsh.fingerprint(key));
        assertThat(json.get("comment").asText()).isEqualTo(hostComment(2222));
        assertThat(json.get("bastion_user").asText()).isEqualTo("tunnel");
        assertThat(json.get("sshd_config").asText()).isEqualTo(new SshdAccountBlock("tunnel").render());
    }

    @Test
    void jsonAndSshdConfigTogetherAreAUsageError() throws Exception {
        Path key = OpenSsh.generate(keys.resolve("key"), "ed25519", "");

        authorize("-p", "2222", "-s", key.toString(), "--json", "--sshd-config").isUsageError()
                .errContains("--json or --sshd-config");
    }

    @Test
    void jsonForAMissingKeyIsTheSameUsageError() {
        Path key = keys.resolve("absent");

        authorize("-p", "2222", "-s", key.toString(), "--json").isUsageError().errContains("key " + key + " does not exist");
    }

    @Test
    void derivesTheLineFromThePrivateKeyWhenThePublicFileIsMissing() throws Exception {
        Path key = OpenSsh.generate(keys.resolve("key"), "ecdsa", "");
        SshPublicKey publicKey = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(key));
        Files.delete(OpenSshBastion.publicKeyFile(key));

        Cli.Run run = authorize("-p", "2222", "-s", key.toString());

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).isEqualTo(expectedLine(2222, publicKey) + "\n");
        assertThat(publicKey.type()).isEqualTo("ecdsa-sha2-nistp256");
    }

    @Test
    void printsTheSameLineAsKeygen() throws Exception {
        Path key = keys.resolve("key");
        Cli.Run keygen = new Cli(root).run("keygen", "-p", "2222", "-s", key.toString());
        assertThat(keygen.exitCode()).as("keygen stderr: %s", keygen.err()).isZero();

        Cli.Run run = authorize("-p", "2222", "-s", key.toString());

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(keygen.out().lines()).contains(run.out().strip());
    }

    @Test
    void missingKeySaysHowToCreateOne() {
        Path key = keys.resolve("absent");

        authorize("-p", "2222", "-s", key.toString()).isUsageError()
                .errContains("key " + key + " does not exist").errContains("`scitex-tunnel keygen -p PORT`");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "abc", "-1", ""})
    void rejectsBadPort(String port) throws Exception {
        Path key = OpenSsh.generate(keys.resolve("key"), "ed25519", "");

        authorize("-p", port, "-s", key.toString()).isUsageError().errContains("port");
    }

    @Test
    void rejectsMissingPort() {
        authorize("-s", keys.resolve("key").toString()).isUsageError().errContains("--port");
    }
}
