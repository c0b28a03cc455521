package io.scitex.tunnel.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.setup.KeygenResult;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.ssh.SshKeygen;
import io.scitex.tunnel.ssh.SshdAccountBlock;

/**
 * {@code authorize --json} and {@code keygen --json}: the bastion's line and the key it admits, for authorize the
 * bastion's sshd_config block too, and for keygen which files it made, so that a script need not parse the
 * sentences meant for people.
 */
final class KeyJson {
    private KeyJson() {}

    static String authorized(AuthorizedKeyLine line, SshdAccountBlock block) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("port", line.port());
        putKey(node, line);
        node.put("bastion_user", block.account());
        node.put("sshd_config", block.render());
        return node.toPrettyString();
    }

    static String created(KeygenResult result) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("port", result.authorized().port());
        node.put("key_file", result.key().toString());
        node.put("public_key_file", SshKeygen.publicKeyPath(result.key()).toString());
        node.put("owner", result.owner());
        putKey(node, result.authorized());
        return node.toPrettyString();
    }

    /** The public key and the line that admits it, as authorize prints them for people. */
    private static void putKey(ObjectNode node, AuthorizedKeyLine line) {
        node.put("key_type", line.key().type());
        node.put("public_key", line.key().type() + " " + line.key().base64());
        node.put("fingerprint", line.key().fingerprint());
        node.put("comment", line.comment());
        node.put("options", line.options());
        node.put("authorized_line", line.render());
    }
}
