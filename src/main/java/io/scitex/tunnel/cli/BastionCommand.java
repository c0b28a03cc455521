package io.scitex.tunnel.cli;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.model.ServiceScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bastion}: the commands an admin runs on the bastion itself. */
@Command(name = "bastion", sortOptions = false, mixinStandardHelpOptions = true,
        subcommands = {BastionStatusCommand.class, BastionSshdConfigCommand.class},
        header = "Run on the bastion: which machines hold which ports now, and the sshd settings tunnels want.",
        description = {
            "Commands for the bastion's admin, run on the bastion. Nothing needs to run there between them: they read what sshd, the kernel and the journal already know.",
            "",
            "  sudo scitex-tunnel bastion status",
            "      the ports sshd sessions hold, who holds them, whether each works",
            "  sudo scitex-tunnel bastion sshd-config --apply",
            "      keepalives that free a dead client's port; tunnel-only accounts",
            ""})
final class BastionCommand implements Runnable {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a bastion command is missing: status or sshd-config");
    }

    ScitexTunnel api() {
        return main.api(ServiceScope.SYSTEM);
    }
}
