package io.scitex.tunnel.cli;

import io.scitex.tunnel.setup.KeygenResult;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keygen}: a dedicated key for one tunnel. */
@Command(name = "keygen", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Create a dedicated key for a tunnel, and print what to put on the bastion.",
        description = {
            "Create a new ed25519 key (no passphrase: a service cannot type one) for the tunnel on PORT, owned by you (SUDO_USER under sudo), mode 600. An existing key is never replaced without --force. It prints the authorized_keys line that lets the key hold PORT on the bastion and nothing else.",
            ""})
final class KeygenCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", converter = PortConverter.class,
            description = "The tunnel's port.")
    int port;

    @Option(names = {"-s", "--key"}, paramLabel = "KEY",
            description = "Where to create the key. Default: ~/.ssh/scitex-tunnel-PORT_ed25519.")
    String key;

    @Option(names = "--force", description = "Replace an existing key at that path.")
    boolean force;

    @Option(names = "--json", description = "Print what was made as JSON (key_file, public_key_file, owner,"
            + " fingerprint, authorized_line, ...).")
    boolean json;

    @Override
    public Integer call() {
        KeygenResult result = api(scope).keygen(port, Optional.ofNullable(key), force);
        PrintWriter out = out();
        if (json) {
            out.println(KeyJson.created(result));
            out.flush();
            return ExitCode.OK;
        }
        out.println("Created " + result.key() + " (ed25519 " + result.authorized().key().fingerprint() + ", owned by "
                + result.owner() + ", mode 600).");
        out.println();
        AuthorizeCommand.explain(out, result.authorized());
        out.println();
        out.println("Then: " + (scope.user ? "scitex-tunnel setup --user" : "sudo scitex-tunnel setup") + " -p "
                + result.authorized().port() + " -b USER@BASTION -s " + result.key());
        return ExitCode.OK;
    }
}
