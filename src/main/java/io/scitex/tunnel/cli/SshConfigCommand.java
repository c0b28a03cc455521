package io.scitex.tunnel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.ssh.ClientHostBlock;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ssh-config}: the ssh_config block and known_hosts line that reach this machine through its tunnel. */
@Command(name = "ssh-config", sortOptions = false, mixinStandardHelpOptions = true,
        header = "Print the ssh config block (and known_hosts line) that reach this machine through its tunnel.",
        description = {
            "Run on the host. Print an OpenSSH Host block for the people who connect: `ssh NAME` jumps through the tunnel's bastion (ProxyJump, user, host and port as the tunnel's unit has them) to the tunnel's port there, and checks this machine's own host key under NAME (HostKeyAlias). --known-hosts prints the line that pins that key, so the first connection needs no prompt. Works for tunnels of either engine and for tunnels made by the Python tool.",
            "",
            "On the laptop:",
            "  mkdir -p ~/.ssh/config.d",
            "  ssh HOST scitex-tunnel ssh-config -p 2222 > ~/.ssh/config.d/gpu01",
            "  ssh HOST scitex-tunnel ssh-config -p 2222 --known-hosts >> ~/.ssh/known_hosts",
            "  # once, at the top of ~/.ssh/config:  Include config.d/*",
            "  ssh gpu01",
            ""})
final class SshConfigCommand extends TunnelCommand {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT", converter = PortConverter.class,
            description = "The tunnel's port.")
    int port;

    @Option(names = "--name", paramLabel = "NAME", description = "The alias people type (ssh NAME). Default: this machine's short host name.")
    String name;

    @Option(names = "--login", paramLabel = "USER", description = "The account on this machine (User). Default: none, ssh uses the connecting person's name.")
    String login;

    @Option(names = "--host-key", paramLabel = "FILE",
            description = "This machine's sshd public host key. Default: /etc/ssh/ssh_host_ed25519_key.pub, else the ECDSA or RSA one.")
    Path hostKey;

    @Option(names = "--known-hosts", description = "Print only the known_hosts line.")
    boolean knownHosts;

    @Mixin
    ScopeMixin scope;

    @Option(names = "--json", description = "Print name, port, login, proxy_jump, ssh_config and known_hosts as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (json && knownHosts) {
            throw new InvalidInputException("--json holds the known_hosts line too: give --json or --known-hosts, not both");
        }
        ClientHostBlock block = api(scope).sshConfig(port, Optional.ofNullable(name), Optional.ofNullable(login),
                Optional.ofNullable(hostKey));
        PrintWriter out = out();
        if (json) {
            ObjectNode node = MAPPER.createObjectNode();
            node.put("name", block.name());
            node.put("port", block.port());
            node.put("login", block.login().orElse(null));
            node.put("proxy_jump", block.lines().stream().filter(l -> l.strip().startsWith("ProxyJump "))
                    .map(l -> l.strip().substring("ProxyJump ".length())).findFirst().orElse(null));
            node.put("host_key_fingerprint", block.hostKey().fingerprint());
            node.put("ssh_config", block.render());
            node.put("known_hosts", block.knownHostsLine());
            try {
                out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else if (knownHosts) {
            out.println(block.knownHostsLine());
        } else {
            out.print(block.render());
            PrintWriter err = spec.commandLine().getErr();
            err.println("Save the block in ~/.ssh/config.d/" + block.name() + " (with `Include config.d/*` at the top of"
                    + " ~/.ssh/config) and pin this machine's key: add to ~/.ssh/known_hosts the line that"
                    + " `scitex-tunnel ssh-config -p " + port + " --known-hosts` prints:");
            err.println(block.knownHostsLine());
            err.flush();
        }
        out.flush();
        return ExitCode.OK;
    }
}
