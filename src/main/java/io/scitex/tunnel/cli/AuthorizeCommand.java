package io.scitex.tunnel.cli;

import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code authorize}: the bastion's authorized_keys line for a tunnel key. */
@Command(name = "authorize", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Print the bastion's authorized_keys line for a tunnel key.",
        description = {
            "Print the line to add to ~/.ssh/authorized_keys of the bastion user the tunnel logs in as. It restricts the key to what a tunnel needs: holding PORT on the bastion's loopback (and opening connections to it, for health checks). No shell, no commands, no other port.",
            "The line goes to stdout and the explanation to stderr, so the line can be piped:",
            "  scitex-tunnel authorize -p 2222 | ssh user@bastion 'cat >> ~/.ssh/authorized_keys'",
            ""})
final class AuthorizeCommand extends TunnelCommand {
    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", converter = PortConverter.class,
            description = "The tunnel's port.")
    int port;

    @Option(names = {"-s", "--key"}, paramLabel = "KEY",
            description = "The tunnel's private key (its .pub is read). Default: ~/.ssh/scitex-tunnel-PORT_ed25519.")
    String key;

    @Option(names = "--json", description = "Print the line and the key as JSON (authorized_line, port, key_type,"
            + " fingerprint, ...), and nothing on stderr.")
    boolean json;

    @Override
    public Integer call() {
        AuthorizedKeyLine line = api().authorize(port, Optional.ofNullable(key));
        if (json) {
            out().println(KeyJson.authorized(line));
            out().flush();
            return ExitCode.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("Add this line to ~/.ssh/authorized_keys of the bastion user the tunnel logs in as:");
        err.flush();
        out().println(line.render());
        out().flush();
        err.println("It lets the key hold port " + line.port() + " on the bastion's loopback and nothing else.");
        return ExitCode.OK;
    }

    /** The line and where it goes, for people reading a terminal. */
    static void explain(PrintWriter out, AuthorizedKeyLine line) {
        out.println("On the bastion, add this line to ~/.ssh/authorized_keys of the user the tunnel logs in as:");
        out.println();
        out.println(line.render());
        out.println();
        out.println("It lets this key hold port " + line.port() + " on the bastion's loopback and nothing else:"
                + " no shell, no commands, no other port.");
    }
}
