package io.scitex.tunnel.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.model.TunnelStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code status}: lists tunnels and how they are doing. */
@Command(name = "status", aliases = "show-status", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Show the tunnels on this machine and whether they are up.",
        description = {
            "Show every tunnel on this machine (or the one on PORT): bastion, target, the service's state,",
            "since when, and how often systemd restarted it.",
            ""},
        footer = {"",
            "Exit codes: 0 every listed tunnel is up, 3 one is not, 4 no tunnel on PORT, 1 status failed."})
final class StatusCommand extends TunnelCommand {
    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Show only the tunnel on this port.")
    String port;

    @Option(names = "--json", description = "Print a JSON array (port, unit, bastion, target, state, since, restarts, ...).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<TunnelStatus> tunnels;
        try {
            tunnels = port == null ? api().status() : List.of(api().status(TunnelPort.parse(port)));
        } catch (NoSuchTunnelException e) {
            spec.commandLine().getErr().println("scitex-tunnel: " + e.getMessage());
            return ExitCode.NO_SUCH_TUNNEL;
        }
        if (json) {
            printJson(tunnels);
        } else {
            printTable(tunnels);
        }
        return tunnels.stream().allMatch(TunnelStatus::isUp) ? ExitCode.OK : ExitCode.NOT_UP;
    }

    private void printJson(List<TunnelStatus> tunnels) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (TunnelStatus tunnel : tunnels) {
            ObjectNode node = array.addObject();
            node.put("port", tunnel.port());
            node.put("unit", tunnel.unit());
            node.put("bastion", tunnel.bastion().orElse(null));
            node.put("target", tunnel.target().orElse(null));
            node.put("state", tunnel.state());
            node.put("sub_state", tunnel.subState());
            node.put("since", tunnel.since().map(Instant::toString).orElse(null));
            node.put("restarts", tunnel.restarts());
            node.put("up", tunnel.isUp());
        }
        out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    }

    private void printTable(List<TunnelStatus> tunnels) {
        PrintWriter out = out();
        if (tunnels.isEmpty()) {
            out.println("No tunnels. Set one up with: sudo scitex-tunnel setup -p PORT -b USER@BASTION -s KEY");
            return;
        }
        Table table = new Table("PORT", "BASTION", "TARGET", "STATE", "SINCE", "RESTARTS");
        for (TunnelStatus tunnel : tunnels) {
            table.add(Integer.toString(tunnel.port()), tunnel.bastion().orElse("?"), tunnel.target().orElse("?"),
                    tunnel.state() + " (" + tunnel.subState() + ")",
                    tunnel.since().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
                    Integer.toString(tunnel.restarts()));
        }
        table.print(out);
    }
}
