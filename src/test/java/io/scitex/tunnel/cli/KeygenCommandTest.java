package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.OpenSshBastion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys go to a temporary directory (always -s): the user's own ~/.ssh is never touched. */
class KeygenCommandTest {
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path root;
    @TempDir
    Path keys;

    private Cli.Run keygen(String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "keygen";
        System.arraycopy(args, 0, argv, 1, args.length);
        return new Cli(root).run(argv);
    }

    @Test
    void createsTheKeyAndPrintsTheLineAndTheSetupCommand() throws Exception {
        Path key = keys.resolve("key");

        Cli.Run run = keygen("-p", "2222", "-s", key.toString());

        assertThat(run.exitCode()).as("exit code; stderr: %s", run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(key).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.getOwner(key).getName()).isEqualTo(USER);
        SshPublicKey made = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(key));
        String comment = publicKeyComment(key);
        assertThat(comment).matches("scitex-tunnel-2222@[A-Za-z0-9._-]+");
        String line = "command=\"/bin/false\",restrict,port-forwarding,permitlisten=\"localhost:2222\","
                + "permitopen=\"localhost:2222\" ssh-ed25519 " + made.base64() + " " + comment;
        assertThat(run.out().lines().toList()).containsExactly(
                "Created " + key + " (ed25519 " + OpenSsh.fingerprint(key) + ", owned by " + USER + ", mode 600).",
                "",
                "On the bastion, add this line to ~/.ssh/authorized_keys of the user the tunnel logs in as:",
                "",
                line,
                "",
                "It lets this key hold port 2222 on the bastion's loopback and nothing else: no shell, no commands,"
                        + " no other port, once the bastion's sshd_config also has the block that `scitex-tunnel"
                        + " authorize -p 2222 -b USER@BASTION --sshd-config` prints (no authorized_keys option forbids"
                        + " forwards to Unix sockets).",
                "",
                "Then: sudo scitex-tunnel setup -p 2222 -b USER@BASTION -s " + key);
        assertThat(new Cli(root).written()).as("nothing in the tool's directories").isEmpty();
    }

    @Test
    void againFailsWithExitCode1AndOneLineThatMentionsForce() throws Exception {
        Path key = keys.resolve("key");
        keygen("-p", "2222", "-s", key.toString());
        byte[] before = Files.readAllBytes(key);

        keygen("-p", "2222", "-s", key.toString()).isError(ExitCode.FAILED).errContains("--force")
                .errContains(key.toString());

        assertThat(Files.readAllBytes(key)).isEqualTo(before);
    }

    @Test
    void jsonSaysWhichKeyFilesItMadeAndTheLine() throws Exception {
        Path key = keys.resolve("key");

        Cli.Run run = keygen("-p", "2222", "-s", key.toString(), "--json");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("key_file").asText()).isEqualTo(key.toString());
        assertThat(json.get("public_key_file").asText()).isEqualTo(OpenSshBastion.publicKeyFile(key).toString());
        assertThat(Path.of(json.get("key_file").asText())).isRegularFile();
        assertThat(Path.of(json.get("public_key_file").asText())).isRegularFile();
        assertThat(json.get("owner").asText()).isEqualTo(USER);
        assertThat(json.get("port").asInt()).isEqualTo(2222);
        assertThat(json.get("fingerprint").asText()).isEqualTo(OpenSsh.fingerprint(key));
        SshPublicKey made = OpenSshBastion.readPublicKey(OpenSshBastion.publicKeyFile(key));
        assertThat(json.get("authorized_line").asText()).isEqualTo("command=\"/bin/false\",restrict,port-forwarding,"
                + "permitlisten=\"localhost:2222\",permitopen=\"localhost:2222\" ssh-ed25519 " + made.base64() + " "
                + publicKeyComment(key));
        assertThat(new Cli(root).run("authorize", "-p", "2222", "-s", key.toString()).out().strip())
                .isEqualTo(json.get("authorized_line").asText());
    }

    @Test
    void jsonOverAnExistingKeyFailsWithExitCode1AndPrintsNoJson() throws Exception {
        Path key = keys.resolve("key");
        keygen("-p", "2222", "-s", key.toString());

        keygen("-p", "2222", "-s", key.toString(), "--json").isError(ExitCode.FAILED).errContains("--force");
    }

    @Test
    void forceReplacesTheKeyAndPrintsTheNewFingerprint() throws Exception {
        Path key = keys.resolve("key");
        keygen("-p", "2222", "-s", key.toString());
        String old = OpenSsh.fingerprint(key);

        Cli.Run run = keygen("-p", "2222", "-s", key.toString(), "--force");

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        String now = OpenSsh.fingerprint(key);
        assertThat(now).isNotEqualTo(old);
        assertThat(run.out()).contains("(ed25519 " + now + ",").doesNotContain(old);
    }

    @Test
    void lineFollowsThePort() {
        Path key = keys.resolve("key");

        Cli.Run run = keygen("--port", "65535", "--key", key.toString());

        assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
        assertThat(run.out()).contains("permitlisten=\"localhost:65535\",permitopen=\"localhost:65535\" ssh-ed25519 ")
                .contains(" scitex-tunnel-65535@").contains("setup -p 65535 -b USER@BASTION -s " + key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "65536", "abc", "-1", ""})
    void rejectsBadPortAndCreatesNothing(String port) throws Exception {
        keygen("-p", port, "-s", keys.resolve("key").toString()).isUsageError().errContains("port");

        assertThat(keys).isEmptyDirectory();
    }

    @Test
    void rejectsMissingPort() {
        keygen("-s", keys.resolve("key").toString()).isUsageError().errContains("--port");

        assertThat(keys).isEmptyDirectory();
    }

    private static String publicKeyComment(Path key) throws Exception {
        List<String> fields = List.of(Files.readString(OpenSshBastion.publicKeyFile(key)).strip().split(" "));
        assertThat(fields).hasSize(3);
        return fields.get(2);
    }
}
