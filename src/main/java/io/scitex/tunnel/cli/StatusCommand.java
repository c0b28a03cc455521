package io.scitex.tunnel.cli;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.status.UsersTunnels;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code status}: lists tunnels and whether they work end to end. */
@Command(name = "status", aliases = "show-status", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Show the tunnels on this machine and whether they are up.",
        description = {
            "Show every tunnel on this machine (or the one on PORT): bastion, target, the service's state, since when, how often systemd restarted it, and its health. Each running tunnel is probed end to end (log in to the bastion with the tunnel's key, open localhost:PORT there, read what the target sends back), and the journal is read for its newest error. Probing needs the tunnel's key: run with sudo to probe tunnels of other users. With --user: your own tunnels (user services); as root, --all-users adds every lingering user's own, marked by owner.",
            "",
            "Evidence that the probe reached the target depends on the target, as setup found it (X-ScitexTunnelProbe= in the unit): a target that greets (sshd) is read, and an sshd on this machine must show one of this machine's host keys; an HTTP target (web server, Jupyter) must answer a HEAD request; a silent target gives none, so only the native engine's own count of connections it relayed is evidence. Silence is never taken for up: a bastion holding a dead session's port is silent too. Native tunnels also show their engine's state file: phase, reconnects, last error, open connections, bytes each way.",
            "",
            "Health: up (the probe reached the target), degraded (the forward listens on the bastion but the target did not answer), down (service not running or cannot start, bastion unreachable, forward refused or missing, or the port reaches another machine), unknown (not checked, or no evidence either way).",
            ""},
        footer = {
            "",
            "Exit codes: 0 every listed tunnel is up, 3 one is not, 4 no tunnel on PORT, 1 status failed. With --no-probe, a tunnel counts as up when its service is active."})
final class StatusCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", converter = PortConverter.class,
            description = "Show only the tunnel on this port.")
    Integer port;

    @Option(names = "--all-users", description = "As root: the system tunnels and every lingering user's own"
            + " (--user) tunnels, marked by owner. Each user's are listed by their own status, run with their ids.")
    boolean allUsers;

    @Option(names = "--json", description = "Same as --format json.")
    boolean json;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json (port, unit, bastion, target, state, health, detail, last_error, engine_state, ...) or"
                    + " prometheus (node_exporter textfile metrics). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--no-probe", description = "Only ask systemd (fast): no probes, no journal.")
    boolean noProbe;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3", converter = ProbeTimeoutConverter.class,
            description = "How long each probe may take (probes run in parallel). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() {
        OutputFormat output = OutputFormat.of(json, format);
        if (allUsers) {
            return allUsers(output);
        }
        List<TunnelStatus> tunnels;
        ScitexTunnel api = api(scope);
        if (port == null) {
            tunnels = noProbe ? api.status() : api.check(timeout);
        } else {
            tunnels = List.of(noProbe ? api.status(port) : api.check(port, timeout));
        }
        switch (output) {
            case JSON -> out().println(StatusJson.render(tunnels, api.scope(), owner()));
            case PROMETHEUS -> out().print(PrometheusMetrics.render(tunnels));
            case TABLE -> {
                printTable(tunnels);
                printOtherScope(api);
            }
        }
        out().flush();
        if (!tunnels.isEmpty()) {
            api.lingerWarning().ifPresent(w -> spec.commandLine().getErr().println("scitex-tunnel: warning: " + w));
        }
        return tunnels.stream().allMatch(TunnelStatus::isUp) ? ExitCode.OK : ExitCode.NOT_UP;
    }

    private void printTable(List<TunnelStatus> tunnels) {
        PrintWriter out = out();
        if (tunnels.isEmpty()) {
            out.println(scope.user ? "No tunnels of your own. Set one up with: scitex-tunnel setup --user -p PORT -b"
                    + " USER@BASTION -s KEY" : "No tunnels. Set one up with: sudo scitex-tunnel setup -p PORT -b"
                    + " USER@BASTION -s KEY (or, without root, scitex-tunnel setup --user ...)");
            return;
        }
        // Units, probes and the journal all quote text from outside: every cell is shown escaped.
        Table table = new Table("PORT", "BASTION", "TARGET", "STATE", "SINCE", "RESTARTS", "HEALTH", "DETAIL");
        for (TunnelStatus tunnel : tunnels) {
            table.add(Stream.of(Integer.toString(tunnel.port()), tunnel.bastion().orElse("?"), tunnel.target().orElse("?"),
                    tunnel.state() + " (" + tunnel.subState() + ")",
                    tunnel.since().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-"),
                    Integer.toString(tunnel.restarts()), tunnel.health().health().label(), tunnel.health().detail())
                    .map(Printable::escape).toArray(String[]::new));
        }
        table.print(out);
        List<TunnelStatus> withErrors = tunnels.stream()
                .filter(t -> !t.isUp() && t.health().lastError().isPresent()).toList();
        if (!withErrors.isEmpty()) {
            out.println();
            out.println("Last error in the journal (scitex-tunnel logs -p PORT shows more):");
            for (TunnelStatus tunnel : withErrors) {
                var error = tunnel.health().lastError().orElseThrow();
                out.println("  " + tunnel.port() + "  " + error.time().truncatedTo(ChronoUnit.SECONDS) + "  "
                        + Printable.escape(error.message()));
            }
        }
        printEngines(out, tunnels);
        printDropIns(out, tunnels);
    }

    /** The native engine's own account: what the table's columns cannot hold. */
    private static void printEngines(PrintWriter out, List<TunnelStatus> tunnels) {
        List<TunnelStatus> withEngine = tunnels.stream().filter(t -> t.engine().isPresent()).toList();
        if (withEngine.isEmpty()) {
            return;
        }
        out.println();
        out.println("Native engine (its own state file):");
        for (TunnelStatus tunnel : withEngine) {
            out.println("  " + tunnel.port() + "  " + Printable.escape(tunnel.engine().orElseThrow()
                    .summary(tunnel.health().checkedAt())));
        }
    }

    /** {@code --all-users}: the system's tunnels, then each lingering user's, in one table or JSON array. */
    private int allUsers(OutputFormat output) {
        if (scope.user || port != null || output == OutputFormat.PROMETHEUS) {
            throw new InvalidInputException("--all-users lists every tunnel as a table or JSON: leave out --user, -p"
                    + " and --format prometheus");
        }
        if (!isRoot()) {
            throw new InvalidInputException("--all-users needs root (it asks each user's own manager as that user):"
                    + " run it with sudo; without root, scitex-tunnel status --user shows your own tunnels");
        }
        ScitexTunnel api = api(scope);
        List<TunnelStatus> system = noProbe ? api.status() : api.check(timeout);
        List<UsersTunnels.Owned> users = api.lingeringUsersTunnels(noProbe ? Optional.empty() : Optional.of(timeout));
        if (output == OutputFormat.JSON) {
            out().println(StatusJson.renderAll(system, users));
        } else {
            printAllUsers(system, users);
        }
        out().flush();
        boolean allUp = system.stream().allMatch(TunnelStatus::isUp) && users.stream().allMatch(u -> u.problem().isEmpty()
                && u.tunnels().stream().allMatch(TunnelStatus::isUp));
        return allUp ? ExitCode.OK : ExitCode.NOT_UP;
    }

    private void printAllUsers(List<TunnelStatus> system, List<UsersTunnels.Owned> users) {
        PrintWriter out = out();
        Table table = new Table("OWNER", "PORT", "BASTION", "TARGET", "STATE", "RESTARTS", "HEALTH", "DETAIL");
        system.forEach(tunnel -> table.add(row(ServiceScope.SYSTEM.label(), tunnel)));
        users.forEach(user -> user.tunnels().forEach(tunnel -> table.add(row(user.owner(), tunnel))));
        if (system.isEmpty() && users.stream().allMatch(u -> u.tunnels().isEmpty())) {
            out.println("No tunnels: none of the system's, none of the " + users.size() + " lingering users'.");
        } else {
            table.print(out);
        }
        for (UsersTunnels.Owned user : users) {
            user.problem().ifPresent(problem -> out.println("cannot list " + user.owner() + "'s tunnels: " + problem));
        }
    }

    private static String[] row(String owner, TunnelStatus tunnel) {
        return Stream.of(owner, Integer.toString(tunnel.port()), tunnel.bastion().orElse("?"), tunnel.target().orElse("?"),
                tunnel.state() + " (" + tunnel.subState() + ")", Integer.toString(tunnel.restarts()),
                tunnel.health().health().label(), tunnel.health().detail()).map(Printable::escape).toArray(String[]::new);
    }

    /**
     * The tunnels of the other kind, counted: a user's own view says how many system tunnels there are, and a
     * user's view of the system's how many of their own. Root's system view has no tunnels of its own to count.
     */
    private void printOtherScope(ScitexTunnel api) {
        boolean own = api.scope() == ServiceScope.USER;
        if (!own && isRoot()) {
            return;
        }
        ScitexTunnel other = main.api(own ? ServiceScope.SYSTEM : ServiceScope.USER);
        if (other == api) {
            return; // one API serves both (tests)
        }
        int count;
        try {
            count = other.ports().size();
        } catch (RuntimeException unreadable) {
            return;
        }
        if (count > 0) {
            out().println();
            out().println(own ? count + " system tunnel" + (count == 1 ? "" : "s") + " on this machine as well:"
                    + " scitex-tunnel status shows " + (count == 1 ? "it" : "them")
                    : count + " tunnel" + (count == 1 ? "" : "s") + " of your own as well: scitex-tunnel status --user"
                            + " shows " + (count == 1 ? "it" : "them"));
        }
    }

    /** The owner JSON names: the user for their own tunnels, else null (each system unit names its own). */
    private String owner() {
        return scope.user ? System.getProperty("user.name") : null;
    }

    private static boolean isRoot() {
        return AsUser.processIsRoot();
    }

    /** Drop-ins change a unit without its file saying so: the table alone would hide them. */
    private static void printDropIns(PrintWriter out, List<TunnelStatus> tunnels) {
        List<TunnelStatus> changed = tunnels.stream().filter(t -> !t.dropIns().isEmpty()).toList();
        if (changed.isEmpty()) {
            return;
        }
        out.println();
        out.println("Drop-ins change these units (systemctl cat UNIT shows them; scitex-tunnel doctor says more):");
        for (TunnelStatus tunnel : changed) {
            for (var path : tunnel.dropIns()) {
                out.println("  " + tunnel.port() + "  " + Printable.escape(path.toString()));
            }
        }
    }
}
