package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.setup.KeygenResult;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.ssh.SshdAccountBlock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyJsonTest {
    private static final SshPublicKey KEY = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIGJ1c3kgYmVlcyBtYWtlIGhvbmV5IGFsbCBkYXkgbG9uZw==");
    private static final AuthorizedKeyLine LINE = new AuthorizedKeyLine(2222, KEY, "scitex-tunnel-2222@myhost");

    @Test
    void authorizedGivesTheLineTheKeyAndTheSshdConfigBlock() throws Exception {
        SshdAccountBlock block = new SshdAccountBlock("tunnel");

        JsonNode json = new ObjectMapper().readTree(KeyJson.authorized(LINE, block));

        assertThat(json.get("port").asInt()).isEqualTo(2222);
        assertThat(json.get("authorized_line").asText()).isEqualTo(LINE.render());
        assertThat(json.get("options").asText()).isEqualTo(LINE.options());
        assertThat(json.get("key_type").asText()).isEqualTo("ssh-ed25519");
        assertThat(json.get("public_key").asText()).isEqualTo("ssh-ed25519 " + KEY.base64());
        assertThat(json.get("fingerprint").asText()).isEqualTo(KEY.fingerprint()).startsWith("SHA256:");
        assertThat(json.get("comment").asText()).isEqualTo("scitex-tunnel-2222@myhost");
        assertThat(json.get("bastion_user").asText()).isEqualTo("tunnel");
        assertThat(json.get("sshd_config").asText()).isEqualTo(block.render()).startsWith("# scitex-tunnel: ")
                .contains("\nMatch User tunnel\n").endsWith("\nMatch all\n");
    }

    @Test
    void createdAlsoSaysWhichFilesAndWhoseTheyAre() throws Exception {
        Path key = Path.of("/home/alice/.ssh/scitex-tunnel-2222_ed25519");

        JsonNode json = new ObjectMapper().readTree(KeyJson.created(new KeygenResult(key, "alice", LINE)));

        assertThat(json.get("key_file").asText()).isEqualTo(key.toString());
        assertThat(json.get("public_key_file").asText()).isEqualTo(key + ".pub");
        assertThat(json.get("owner").asText()).isEqualTo("alice");
        assertThat(json.get("port").asInt()).isEqualTo(2222);
        assertThat(json.get("authorized_line").asText()).isEqualTo(LINE.render());
        assertThat(json.get("fingerprint").asText()).isEqualTo(KEY.fingerprint());
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).startsWith("port", "key_file", "public_key_file", "owner").doesNotHaveDuplicates()
                .allMatch(name -> name.matches("[a-z]+(_[a-z]+)*"), "snake_case");
    }
}
