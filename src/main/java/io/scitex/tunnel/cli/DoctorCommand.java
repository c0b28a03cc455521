package io.scitex.tunnel.cli;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.Finding;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code doctor}: what is wrong with a tunnel, and how to fix it. */
@Command(name = "doctor", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Diagnose tunnels and say how to fix what is wrong.",
        description = {
            "Check every tunnel (or the one on PORT) end to end, as status does, and also its key (as ssh checks it), the bastion's reachability and the unit's sandbox. Each finding comes with its fix, including settings only the bastion's admin can change. Run it with sudo to check keys; with --user it checks your own tunnels, and whether you linger.",
            ""},
        footer = {"", "Exit codes: 0 nothing keeps a tunnel from working, 3 a problem was found, 4 no tunnel on PORT."})
final class DoctorCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", converter = PortConverter.class,
            description = "Diagnose only the tunnel on this port.")
    Integer port;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3", converter = ProbeTimeoutConverter.class,
            description = "How long each end-to-end probe may take. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(names = "--json", description = "Print one JSON object per tunnel: port, unit, health and its findings,"
            + " each with its fix.")
    boolean json;

    @Override
    public Integer call() {
        ScitexTunnel api = api(scope);
        List<Diagnosis> diagnoses = api.doctor(Optional.ofNullable(port), timeout);
        if (json) {
            out().println(DoctorJson.render(diagnoses));
        } else {
            print(diagnoses);
        }
        out().flush();
        // A user's tunnels without linger work now, and stop at logout: a problem, though nothing is down yet.
        Optional<String> linger = diagnoses.isEmpty() ? Optional.empty() : api.lingerWarning();
        linger.ifPresent(w -> spec.commandLine().getErr().println("scitex-tunnel: PROBLEM: " + w));
        return diagnoses.stream().allMatch(Diagnosis::healthy) && linger.isEmpty() ? ExitCode.OK : ExitCode.NOT_UP;
    }

    private void print(List<Diagnosis> diagnoses) {
        PrintWriter out = out();
        if (diagnoses.isEmpty()) {
            out.println("No tunnels. Set one up with: sudo scitex-tunnel setup -p PORT -b USER@BASTION -s KEY");
            return;
        }
        for (Diagnosis diagnosis : diagnoses) {
            out.println(diagnosis.status().unit() + " (" + diagnosis.status().bastion().orElse("?") + " port "
                    + diagnosis.status().port() + " -> " + diagnosis.status().target().orElse("?") + ")");
            for (Finding finding : diagnosis.findings()) {
                out.printf("  %-7s %-8s %s%n", label(finding.severity()), finding.subject(), finding.text());
                if (!finding.fix().isEmpty()) {
                    out.printf("  %-7s %-8s fix: %s%n", "", "", finding.fix());
                }
            }
        }
    }

    private static String label(Finding.Severity severity) {
        return switch (severity) {
            case OK -> "ok";
            case ADVICE -> "advice";
            case PROBLEM -> "PROBLEM";
        };
    }
}
