package io.scitex.tunnel.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.host.CommandResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Ansible example ({@code examples/ansible/site.yml}) run with Debian's {@code ansible-playbook -c local} inside
 * a container of the end-to-end world: an inventory for this machine with the world's bastion and its pinned host
 * key, tunnels run as alice with her key, and the counts of the play recap.
 */
public final class AnsibleExample {
    /** Where the inventory is written, in the container. */
    public static final String INVENTORY = "/root/inventory.yml";
    private static final Pattern RECAP = Pattern.compile("(?m)^localhost\\s+:(.*)$");
    private static final Pattern COUNT = Pattern.compile("(\\w+)=(\\d+)");
    private final SystemdContainer container;

    public AnsibleExample(SystemdContainer container) {
        this.container = container;
    }

    /** One more tunnel of the host ({@code scitex_tunnel_tunnels}); no engine: the role's default. */
    public record Tunnel(int port, String target, Optional<String> engine) {
        public Tunnel(int port, String target) {
            this(port, target, Optional.empty());
        }
    }

    /**
     * The inventory of this machine.
     *
     * @param command     the role's {@code scitex_tunnel_command}; empty: the role's default, the package's
     * @param debPackage  the role's {@code scitex_tunnel_package}, a .deb's path in the container; empty: none
     * @param port        the host's own tunnel, to its sshd ({@code scitex_tunnel_port})
     * @param tunnels     the host's other tunnels
     */
    public record Inventory(Optional<Path> command, Optional<Path> debPackage, int port, List<Tunnel> tunnels) {
        public Inventory {
            tunnels = List.copyOf(tunnels);
        }
    }

    /** The bastion's host key, {@code TYPE BASE64}: what the inventory pins. */
    public String bastionHostKey() throws IOException {
        return container.sh("cut -d' ' -f1-2 /srv/bastion/hostkey.pub").stdout().strip();
    }

    /** Writes {@code inventory} to {@link #INVENTORY}. */
    public void write(Inventory inventory) throws IOException {
        String yaml = render(inventory, bastionHostKey());
        CommandResult written = container.run("bash", "-c", "cat > " + INVENTORY + " <<'END_OF_FILE'\n" + yaml
                + "END_OF_FILE");
        assertThat(written.exitCode()).as(written.stderr()).isZero();
    }

    static String render(Inventory inventory, String hostKey) {
        StringBuilder vars = new StringBuilder();
        inventory.command().ifPresent(command -> vars.append("    scitex_tunnel_command: ").append(command).append('\n'));
        inventory.debPackage().ifPresent(deb -> vars.append("    scitex_tunnel_package: ").append(deb).append('\n'));
        String tunnels = inventory.tunnels().stream().map(t -> "        - port: " + t.port() + "\n"
                + "          target: \"" + t.target() + "\"\n"
                + t.engine().map(engine -> "          engine: " + engine + "\n").orElse(""))
                .collect(Collectors.joining());
        return """
                tunnel_hosts:
                  vars:
                %s    scitex_tunnel_bastion: user@bastion.example.com
                    scitex_tunnel_bastion_host_keys:
                      - %s
                    scitex_tunnel_defaults:
                      user: alice
                      key: /home/alice/.ssh/id_ed25519
                      wait: 60
                  hosts:
                    localhost:
                      ansible_connection: local
                      scitex_tunnel_port: %d
                      scitex_tunnel_tunnels:%s
                %s""".formatted(vars, hostKey, inventory.port(), inventory.tunnels().isEmpty() ? " []" : "", tunnels);
    }

    /** {@code ansible-playbook -c local -i INVENTORY OPTIONS site.yml} of the checkout, which must succeed. */
    public CommandResult playbook(String options) throws IOException {
        CommandResult run = container.run("bash", "-c", "cd /root; ANSIBLE_NOCOLOR=1 ansible-playbook -c local -i "
                + INVENTORY + " " + options + " " + SystemdContainer.projectDirectory().resolve("examples/ansible/site.yml"));
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        return run;
    }

    /** The counts of the PLAY RECAP line: ok, changed, failed, ... */
    public static Map<String, Integer> recap(CommandResult run) {
        Map<String, Integer> counts = new HashMap<>();
        Matcher line = RECAP.matcher(run.stdout());
        assertThat(line.find()).as(run.stdout()).isTrue();
        Matcher count = COUNT.matcher(line.group(1));
        while (count.find()) {
            counts.put(count.group(1), Integer.parseInt(count.group(2)));
        }
        return counts;
    }
}
