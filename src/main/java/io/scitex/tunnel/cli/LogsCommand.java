package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.Printable;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code logs}: a tunnel's journal, with the lines that matter tagged. */
@Command(name = "logs", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Show a tunnel's log (its journal), with the lines that matter tagged.",
        description = {
            "Show the journal of autossh-tunnel-PORT.service: what autossh, ssh and systemd said. Lines that matter get a tag: connect (ssh started), refused (the bastion refused the forward), hostkey, auth, unreach (bastion unreachable), linkdead (keepalives unanswered), disconnect, target (the target refused a forwarded connection), exit (ssh exited), and started, stopped, restart, failed (systemd). Reading the system journal needs root or the systemd-journal group: use sudo. With --user: the journal of a tunnel of your own (journalctl --user).",
            ""},
        footer = {"", "Example:", "  sudo scitex-tunnel logs -p 2222 -f"})
final class LogsCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", converter = PortConverter.class,
            description = "The tunnel's port.")
    int port;

    @Option(names = {"-f", "--follow"}, description = "Keep showing new lines as they come (Ctrl-C ends).")
    boolean follow;

    @Option(names = {"-n", "--lines"}, paramLabel = "LINES", defaultValue = "50",
            description = "How many of the newest lines to show first. Default: ${DEFAULT-VALUE}.")
    String lines;

    @Override
    public Integer call() {
        int count;
        try {
            count = Integer.parseInt(lines.strip());
        } catch (NumberFormatException e) {
            count = -1;
        }
        if (count < 0 || count > 1_000_000) {
            throw new InvalidInputException("--lines must be a number from 0 to 1000000, not '" + lines + "'");
        }
        PrintWriter out = out();
        ZoneId zone = ZoneId.systemDefault();
        api(scope).logs(port, count, follow, event -> {
            out.println(format(event, zone));
            out.flush(); // a follower wants each line as it comes
        });
        return ExitCode.OK;
    }

    /**
     * {@code TIME  TAG         message}: the tag column is blank for lines that do not matter. The message is
     * what a program logged, perhaps quoting a bastion: its control characters are shown escaped.
     */
    static String format(JournalEvent event, ZoneId zone) {
        return TIME.format(event.time().atZone(zone)) + "  " + String.format(Locale.ROOT, "%-10s", event.kind().tag())
                + "  " + Printable.escape(event.message());
    }
}
