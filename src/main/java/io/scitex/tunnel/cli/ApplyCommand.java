package io.scitex.tunnel.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.fleet.TunnelsFile;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.setup.AppliedTunnel;
import io.scitex.tunnel.setup.ApplyResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code apply}: makes the machine's tunnels those of a tunnels file. */
@Command(name = "apply", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Make this machine's tunnels those a tunnels file declares.",
        description = {
            "Read a tunnels file (TOML: [defaults] shared by every [[tunnel]], each with any setup option) and make the machine's tunnels match it: each tunnel is planned as create, replace (its unit, pinned host keys or passphrase differ, or its service is not running), unchanged, or, with --prune, remove. Only tunnels that change are written and restarted, all with one systemd reload; the others keep running untouched. Each created or replaced tunnel passes setup's checks first and is verified end to end afterwards; one that fails is put back as it was. The whole file is checked before anything changes. Needs root: run it with sudo, or give --user for tunnels of your own (user services; the file then lists only tunnels run as you).",
            "",
            "Keys of [defaults] and [[tunnel]]: port (tunnel only), bastion, key, target, engine (autossh, native), user (whom the service runs as; default: you, SUDO_USER), host_keys (the bastion's host keys, [\"TYPE BASE64\", ...], pinned exactly; default: pinned earlier or from known_hosts), accept_new, passphrase_file, check (false: no network checks), wait (seconds), rollback, force, probe (greeting, http, silent; default auto: setup finds out).",
            ""},
        footer = {
            "",
            "Example tunnels file:",
            "  [defaults]",
            "  bastion = \"tunnel@bastion.example.org\"",
            "  key = \"/home/alice/.ssh/scitex-tunnel_ed25519\"",
            "",
            "  [[tunnel]]",
            "  port = 2222",
            "",
            "  [[tunnel]]",
            "  port = 8888",
            "  target = \"localhost:8888\"",
            "  engine = \"native\"",
            "",
            "Exit codes: 0 the machine matches the file (changed or not), 1 a tunnel failed (the others are applied;"
                    + " none is half-written), 2 the file is bad (nothing changed)."})
final class ApplyCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE",
            description = "The tunnels file. Default: /etc/scitex-tunnel/tunnels.toml; with --user"
                    + " ~/.config/scitex-tunnel/tunnels.toml ($XDG_CONFIG_HOME).")
    Path file;

    @Option(names = "--check", description = "Print the plan; change nothing.")
    boolean check;

    @Option(names = "--prune", description = "Remove installed tunnels the file does not list (never without it).")
    boolean prune;

    @Option(names = "--json", description = "Print {\"changed\": ..., \"tunnels\": [{\"port\", \"action\", \"result\","
            + " \"detail\", ...}]}.")
    boolean json;

    @Override
    public Integer call() {
        TunnelsFile tunnels = TunnelsFile.read(file != null ? file : api(scope).tunnelsFile());
        ApplyResult result = api(scope).apply(tunnels.tunnels(), check, prune);
        if (json) {
            out().println(StatusJson.write(json(result)));
        } else {
            print(result);
        }
        return result.succeeded() ? ExitCode.OK : ExitCode.FAILED;
    }

    private void print(ApplyResult result) {
        if (result.tunnels().isEmpty()) {
            out().println("No tunnels declared, none installed.");
        }
        for (AppliedTunnel tunnel : result.tunnels()) {
            String verb = result.check() ? tunnel.action().word() : switch (tunnel.result()) {
                case OK -> pastTense(tunnel);
                case FAILED -> "FAILED to " + tunnel.action().word();
                case PLANNED -> tunnel.action().word();
            };
            out().println(String.format("%-5d %-20s %s", tunnel.port(), verb, Printable.escape(tunnel.detail())));
        }
        long changes = result.tunnels().stream().filter(t -> t.action().changes()).count();
        out().println(result.check() ? (changes == 0 ? "Plan: nothing to change." : "Plan: " + changes
                + " to change; run without --check to apply.")
                : result.succeeded() ? (result.changed() ? "Applied." : "Nothing changed: the machine matches the file.")
                : "Some tunnels failed (above); the others are applied. Fix and run apply again.");
    }

    private static String pastTense(AppliedTunnel tunnel) {
        return switch (tunnel.action()) {
            case CREATE -> "created";
            case REPLACE -> "replaced";
            case REMOVE -> "removed";
            case UNCHANGED -> "unchanged";
            case UNLISTED -> "unlisted";
        };
    }

    static ObjectNode json(ApplyResult result) {
        ObjectNode root = StatusJson.object();
        root.put("changed", result.changed());
        root.put("check", result.check());
        ArrayNode tunnels = root.putArray("tunnels");
        for (AppliedTunnel tunnel : result.tunnels()) {
            ObjectNode node = tunnels.addObject();
            node.put("port", tunnel.port());
            node.put("action", tunnel.action().word());
            node.put("result", tunnel.result().word());
            node.put("detail", tunnel.detail());
            node.put("bastion", tunnel.bastion().orElse(null));
            node.put("target", tunnel.target().orElse(null));
        }
        return root;
    }
}
