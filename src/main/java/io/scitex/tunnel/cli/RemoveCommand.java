package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.setup.RemoveResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code remove}: stops and deletes a tunnel. */
@Command(name = "remove", aliases = "remove-tunnel", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Stop and delete a tunnel.",
        description = {
            "Remove the tunnel on PORT: stop and disable its service, delete its unit and pinned host keys, reload systemd. A mask (systemctl mask) and drop-ins (systemctl edit, set-property) are left in place, each named in a warning. Needs root: run it with sudo; with --user it removes a tunnel of your own (systemctl --user), without root.",
            ""})
final class RemoveCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", converter = PortConverter.class,
            description = "The tunnel's port.")
    int port;

    @Override
    public Integer call() {
        RemoveResult result = api(scope).remove(port);
        result.warnings().forEach(w -> spec.commandLine().getErr().println("scitex-tunnel: warning: "
                + Printable.escape(w)));
        out().println("Removed " + result.unit() + ".");
        for (Path file : result.deleted()) {
            out().println("  deleted " + file);
        }
        return ExitCode.OK;
    }
}
