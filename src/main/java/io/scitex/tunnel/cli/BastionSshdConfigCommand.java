package io.scitex.tunnel.cli;

import io.scitex.tunnel.bastion.DropInInstaller;
import io.scitex.tunnel.bastion.SshdDropIn;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bastion sshd-config}: the sshd drop-in tunnels want, printed or installed. */
@Command(name = "sshd-config", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Print (or --apply) the bastion's sshd drop-in: dead clients' ports freed, tunnel-only accounts.",
        description = {
            "Print the drop-in for " + "/etc/ssh/sshd_config.d/scitex-tunnel.conf" + ". It sets ClientAliveInterval and ClientAliveCountMax for every session, so that sshd drops a client that vanished without a word (power cut, NAT timeout) and frees the ports it held within about 2 x INTERVAL x (COUNT + 1) seconds (16 s by default; OpenSSH 9.2 probes every other INTERVAL), instead of keeping them until TCP gives up hours later. And it makes the members of GROUP tunnel-only accounts (Match Group): no shell or command, no TTY, no agent or X11 forwarding, no Unix-socket forwarding, no tun devices, forwards on loopback only. Add a tunnel account to the group with: usermod -aG GROUP ACCOUNT.",
            "",
            "With --apply (as root): write it atomically, check the whole configuration with `sshd -t -f SSHD_CONFIG`, and only then reload sshd. If sshd rejects the result, the previous file is put back untouched and sshd is not reloaded. Running it again changes nothing.",
            "",
            "The main sshd_config must include sshd_config.d (Debian and Ubuntu do: `Include /etc/ssh/sshd_config.d/*.conf` at the top).",
            ""})
final class BastionSshdConfigCommand extends BastionSubcommand {
    @Option(names = "--apply", description = "Install the drop-in, check it with sshd -t, reload sshd.")
    boolean apply;

    @Option(names = "--group", paramLabel = "GROUP", defaultValue = SshdDropIn.DEFAULT_GROUP,
            description = "The group of tunnel-only accounts. Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "ClientAliveInterval. Default: ${DEFAULT-VALUE}.")
    int interval;

    @Option(names = "--count", paramLabel = "N", defaultValue = "3",
            description = "ClientAliveCountMax. Default: ${DEFAULT-VALUE}.")
    int count;

    @Option(names = "--file", paramLabel = "FILE", defaultValue = "/etc/ssh/sshd_config.d/scitex-tunnel.conf",
            description = "Where --apply writes the drop-in. Default: ${DEFAULT-VALUE}.")
    Path file;

    @Option(names = "--sshd-config", paramLabel = "FILE", defaultValue = "/etc/ssh/sshd_config",
            description = "The sshd configuration that includes the drop-in, which sshd -t checks. Default: ${DEFAULT-VALUE}.")
    Path sshdConfig;

    @Option(names = "--reload-unit", paramLabel = "UNIT", defaultValue = "ssh.service",
            description = "The sshd service --apply reloads (sshd.service outside Debian and Ubuntu). Default: ${DEFAULT-VALUE}.")
    String reloadUnit;

    @Override
    public Integer call() {
        SshdDropIn dropIn = new SshdDropIn(group, interval, count);
        if (!apply) {
            err().println("As root on the bastion, install it with: sudo scitex-tunnel bastion sshd-config --apply"
                    + " (or save it as " + file + ", then run: sshd -t && systemctl reload " + reloadUnit + ")");
            err().flush();
            out().print(dropIn.render());
            out().flush();
            return ExitCode.OK;
        }
        DropInInstaller.Outcome outcome = api().applySshdDropIn(dropIn, file, sshdConfig, reloadUnit);
        switch (outcome) {
            case UNCHANGED -> out().println(file + " unchanged: it already says this; sshd not reloaded.");
            case INSTALLED -> out().println(file + " installed; sshd -t accepts it; " + reloadUnit + " reloaded.");
            default -> out().println(file + " updated; sshd -t accepts it; " + reloadUnit + " reloaded.");
        }
        if (outcome != DropInInstaller.Outcome.UNCHANGED) {
            out().println("New sessions are dropped within about " + dropIn.boundSeconds() + " s of their client going"
                    + " silent; members of " + group + " are tunnel-only (usermod -aG " + group + " ACCOUNT).");
        }
        out().flush();
        return ExitCode.OK;
    }
}
