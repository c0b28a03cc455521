package io.scitex.tunnel.cli;

import io.scitex.tunnel.Version;
import io.scitex.tunnel.fleet.TunnelsFileWriter;
import io.scitex.tunnel.setup.Export;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code export}: prints the machine's tunnels as a tunnels file. */
@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Print this machine's tunnels as a tunnels file.",
        description = {
            "Print every tunnel on this machine, whoever made it (setup, apply, the Python scitex-tunnel), as a tunnels file that `scitex-tunnel apply` turns back into exactly these tunnels: the way to adopt an existing machine, or to copy its tunnels to a fleet's configuration. Pinned bastion host keys are written as host_keys. Reads /etc/scitex-tunnel: run it with sudo; with --user, your own tunnels (user services), for `apply --user`.",
            ""},
        footer = {
            "",
            "Example:",
            "  sudo scitex-tunnel export | sudo tee /etc/scitex-tunnel/tunnels.toml",
            "  sudo scitex-tunnel apply --check        # plans: every tunnel unchanged"})
final class ExportCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    @Override
    public Integer call() {
        Export.Exported exported = api(scope).export();
        List<String> comments = new ArrayList<>();
        comments.add("Tunnels exported by scitex-tunnel " + Version.current() + ". Apply with: "
                + (scope.user ? "scitex-tunnel apply --user -f FILE" : "sudo scitex-tunnel apply -f FILE"));
        exported.notes().forEach(note -> comments.add("NOTE " + note));
        out().print(TunnelsFileWriter.write(exported.tunnels(), comments));
        out().flush();
        exported.notes().forEach(note -> spec.commandLine().getErr().println("scitex-tunnel: warning: "
                + io.scitex.tunnel.model.Printable.escape(note)));
        return ExitCode.OK;
    }
}
