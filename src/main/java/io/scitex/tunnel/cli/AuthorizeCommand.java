package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import io.scitex.tunnel.ssh.SshdAccountBlock;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code authorize}: what the bastion needs to confine a tunnel key, its authorized_keys line and sshd_config block. */
@Command(name = "authorize", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Print the bastion's authorized_keys line for a tunnel key, and its sshd_config block.",
        description = {
            "Print the line to add to ~/.ssh/authorized_keys of the bastion account the tunnel logs in as. It restricts the key to what a tunnel needs: holding PORT on the bastion's loopback (and opening connections to it, for health checks). No shell, no commands, no other port.",
            "No authorized_keys option can forbid forwards to Unix sockets on the bastion, nor keep a forward on its loopback where sshd has GatewayPorts yes: that takes a Match block for the account in the bastion's sshd_config, which --sshd-config prints. The block also takes terminals, X11, agent forwarding and tun devices from every login of the account: give tunnels an account of their own.",
            "What goes on the bastion goes to stdout and the explanation to stderr, so both can be piped:",
            "  scitex-tunnel authorize -p 2222 -b user@bastion |",
            "    ssh user@bastion 'cat >> ~/.ssh/authorized_keys'",
            "  scitex-tunnel authorize -p 2222 -b user@bastion --sshd-config |",
            "    ssh root@bastion 'cat >> " + AuthorizeCommand.DROP_IN + " &&",
            "    sshd -t && systemctl reload sshd'",
            ""})
final class AuthorizeCommand extends TunnelCommand {
    @Mixin
    ScopeMixin scope;

    /** Debian and Ubuntu include sshd_config.d first, so that what it sets is what sshd uses. */
    static final String DROP_IN = "/etc/ssh/sshd_config.d/scitex-tunnel.conf";

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", converter = PortConverter.class,
            description = "The tunnel's port.")
    int port;

    @Option(names = {"-s", "--key"}, paramLabel = "KEY",
            description = "The tunnel's private key (its .pub is read). Default: ~/.ssh/scitex-tunnel-PORT_ed25519.")
    String key;

    @Option(names = {"-b", "--bastion"}, paramLabel = "[USER@]HOST[:SSHPORT]", converter = BastionConverter.class,
            description = "The bastion the tunnel logs in to; its USER is the account of the sshd_config block. Default: $"
                    + TunnelOptionsMixin.BASTION_VARIABLE + "; without USER, your own name (SUDO_USER under sudo), as ssh logs in.")
    BastionAddress bastion;

    @Option(names = "--sshd-config", description = "Print the bastion's sshd_config block instead of the line.")
    boolean sshdConfig;

    @Option(names = "--json", description = "Print the line, the key and the sshd_config block as JSON (authorized_line,"
            + " sshd_config, bastion_user, port, key_type, fingerprint, ...), and nothing on stderr.")
    boolean json;

    @Override
    public Integer call() {
        if (json && sshdConfig) {
            throw new InvalidInputException("--json holds the sshd_config block too: give --json or --sshd-config, not both");
        }
        SshdAccountBlock block = api(scope).sshdBlock(bastion().flatMap(BastionAddress::user));
        PrintWriter err = spec.commandLine().getErr();
        if (sshdConfig) {
            err.println("As root on the bastion, add this block to " + DROP_IN + " (or the end of /etc/ssh/sshd_config),"
                    + " then run: sshd -t && systemctl reload sshd");
            err.flush();
            out().print(block.render());
            out().flush();
            return ExitCode.OK;
        }
        AuthorizedKeyLine line = api(scope).authorize(port, Optional.ofNullable(key));
        if (json) {
            out().println(KeyJson.authorized(line, block));
            out().flush();
            return ExitCode.OK;
        }
        err.println("Add this line to ~/.ssh/authorized_keys of " + block.account()
                + " on the bastion, the account the tunnel logs in as:");
        err.flush();
        out().println(line.render());
        out().flush();
        err.println("It lets the key hold port " + line.port() + " on the bastion's loopback and nothing else once the"
                + " bastion's sshd_config has this block too: as root there, add it to " + DROP_IN
                + " (or the end of /etc/ssh/sshd_config), then run `sshd -t && systemctl reload sshd`."
                + " --sshd-config prints it alone.");
        err.println();
        err.print(block.render());
        err.flush();
        return ExitCode.OK;
    }

    /** {@code -b}, else {@code $SCITEX_TUNNEL_BASTION_SERVER}, checked alike; neither is needed. */
    private Optional<BastionAddress> bastion() {
        if (bastion != null) {
            return Optional.of(bastion);
        }
        return Optional.ofNullable(environment().get(TunnelOptionsMixin.BASTION_VARIABLE)).filter(v -> !v.isEmpty())
                .map(BastionAddress::parse);
    }

    /** The line and where it goes, for people reading a terminal. */
    static void explain(PrintWriter out, AuthorizedKeyLine line) {
        out.println("On the bastion, add this line to ~/.ssh/authorized_keys of the user the tunnel logs in as:");
        out.println();
        out.println(line.render());
        out.println();
        out.println("It lets this key hold port " + line.port() + " on the bastion's loopback and nothing else: no shell,"
                + " no commands, no other port, once the bastion's sshd_config also has the block that `scitex-tunnel"
                + " authorize -p " + line.port() + " -b USER@BASTION --sshd-config` prints (no authorized_keys option"
                + " forbids forwards to Unix sockets).");
    }
}
