package io.scitex.tunnel.cli;

import io.scitex.tunnel.bastion.BastionPort;
import io.scitex.tunnel.bastion.BastionStatus;
import io.scitex.tunnel.bastion.PortHealth;
import io.scitex.tunnel.bastion.SshdDropIn;
import io.scitex.tunnel.model.Printable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bastion status}: the forwarded ports sshd sessions hold, who holds them, and whether they work. */
@Command(name = "status", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Show every port a tunnel holds on this bastion, who holds it, and whether it reaches its machine.",
        description = {
            "Run on the bastion. One row per reverse-forward port an sshd session holds: the port, the addresses it listens on, the account, the session's client (address:port), since when, the key it logged in with (type, SHA256 fingerprint, and the comment of its authorized_keys line, which `scitex-tunnel authorize` writes as scitex-tunnel-PORT@HOST), and its health. Then one row per port an authorized_keys line of a tunnel account permits (permitlisten) that nobody holds, with when the journal last saw its key.",
            "",
            "Health: up (a connection to the port got an answer: the target's greeting, or a reply to HTTP HEAD), stale (the session's client stopped answering: what sshd sends it goes unacknowledged; sshd frees the port after its keepalives, see `bastion sshd-config`), down (held, but a connection is refused, closed or met with silence), offline (permitted, not held).",
            "",
            "It reads what the system knows: /proc/net/tcp{,6} and /proc/PID/fd for sockets and their sessions, sshd's journal for logins and keys, the authorized_keys files of the tunnel accounts (the members of --group, and every account holding a port). Without root it shows what it can and says what needs root.",
            ""},
        footer = {"", "Exit codes: 0 every held port is up, 3 one is stale or down, 1 the status failed. Offline ports do not count."})
final class BastionStatusCommand extends BastionSubcommand {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json (port, binds, account, source, since, key_type, fingerprint, comment, host,"
                    + " health, detail, last_seen) or prometheus (node_exporter textfile metrics). Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--json", description = "Same as --format json.")
    boolean json;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = SshdDropIn.DEFAULT_GROUP,
            description = "The group of tunnel accounts, whose authorized_keys files are read. Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--authorized-keys", paramLabel = "PATTERN",
            description = "sshd's AuthorizedKeysFile (%%h, %%u, %%U; relative to the home); repeatable. Default: what"
                    + " `sshd -T` says (as root), else .ssh/authorized_keys and .ssh/authorized_keys2.")
    List<String> authorizedKeys = new ArrayList<>();

    @Option(names = "--sshd-config", paramLabel = "FILE", defaultValue = "/etc/ssh/sshd_config",
            description = "The sshd configuration asked for AuthorizedKeysFile. Default: ${DEFAULT-VALUE}.")
    Path sshdConfig;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "2", converter = ProbeTimeoutConverter.class,
            description = "How long the probe of each port may take (probes run in parallel). Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    public Integer call() {
        OutputFormat output = OutputFormat.of(json, format);
        BastionStatus.Report report = api().bastionStatus(group, authorizedKeys, sshdConfig, timeout);
        switch (output) {
            case JSON -> out().println(BastionJson.render(report));
            case PROMETHEUS -> out().print(BastionMetrics.render(report));
            case TABLE -> printTable(report);
        }
        out().flush();
        if (output != OutputFormat.JSON) {
            report.limits().forEach(limit -> err().println("scitex-tunnel: " + limit));
            err().flush();
        }
        boolean allUp = report.ports().stream().filter(p -> p.health() != PortHealth.OFFLINE)
                .allMatch(p -> p.health() == PortHealth.UP);
        return allUp ? ExitCode.OK : ExitCode.NOT_UP;
    }

    private void printTable(BastionStatus.Report report) {
        if (report.ports().isEmpty()) {
            out().println("No tunnel holds a port here, and no authorized_keys line of group " + group
                    + " permits one. Give a host's key a line with: scitex-tunnel authorize -p PORT (run on the host)");
            return;
        }
        Table table = new Table("PORT", "BIND", "ACCOUNT", "SOURCE", "SINCE", "KEY", "COMMENT", "HEALTH", "DETAIL");
        for (BastionPort port : report.ports()) {
            table.add(Integer.toString(port.port()), port.binds().isEmpty() ? "-" : String.join(",", port.binds()),
                    port.account().map(Printable::escape).orElse("?"), port.source().orElse("-"),
                    (port.health() == PortHealth.OFFLINE ? port.lastSeen() : port.since()).map(BastionStatusCommand::time)
                            .orElse("-"),
                    port.key().map(k -> k.type() + " " + k.fingerprint()).map(Printable::escape).orElse("?"),
                    port.key().map(k -> k.comment().isEmpty() ? "-" : Printable.escape(k.comment())).orElse("-"),
                    port.health().label(), Printable.escape(port.detail()));
        }
        table.print(out());
    }

    private static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
