package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scitex.tunnel.bastion.SshdDropIn;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Both ends of the tunnel, in a real systemd with a real OpenSSH bastion: a second sshd of the e2e world
 * ({@code src/test/scripts/second-bastion}, 127.0.0.2:2022, a reloadable unit whose configuration includes
 * the drop-in first, no keepalives of its own). Two "hosts" hold ports there with two keys: host A (port
 * 2251, a tunnel {@code setup} made) and host B (port 2252, a plain {@code ssh -R} from source address
 * 127.0.0.3, so that iptables can blackhole it alone); a third key is permitted port 2253 and never connects.
 * The tests run in order: they share the bastion and go from no drop-in to the drop-in applied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BastionSystemdIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration UP = Duration.ofSeconds(30);
    private static final String BLACKHOLE_B = "INPUT -p tcp -s 127.0.0.3 -d 127.0.0.2 --dport 2022 -j DROP";
    private static final String KEY_A = "/root/.ssh/scitex-tunnel-2251_ed25519";
    private static final String KEY_B = "/root/.ssh/scitex-tunnel-2252_ed25519";
    private static final String KEY_C = "/root/.ssh/scitex-tunnel-2253_ed25519";
    private static final String AUTHORIZED = "/srv/bastion2/authorized_keys/tunnel";
    private static final String DROP_IN = "/etc/ssh/sshd_config.d/scitex-tunnel.conf";
    private static final String APPLY = "scitex-tunnel bastion sshd-config --apply --sshd-config /srv/bastion2/sshd_config"
            + " --reload-unit bastion2-sshd.service";
    private static final String STATUS = "scitex-tunnel bastion status --sshd-config /srv/bastion2/sshd_config";
    /** Host B: a plain OpenSSH client holding port 2252, from its own source address, as unit {@code unit}. */
    private static String hostB(String unit) {
        return "systemd-run --quiet --unit=" + unit + " ssh -N -o BatchMode=yes -o ExitOnForwardFailure=yes"
                + " -o StrictHostKeyChecking=yes -o BindAddress=127.0.0.3 -i " + KEY_B
                + " -p 2022 -R 2252:localhost:22 tunnel@bastion.example.com";
    }
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("iptables", "apt-get install iptables");
        Prerequisites.requireProgram("promtool", "apt-get install prometheus");
        container = SystemdContainer.bootE2eWorld("scitex-bastion-ends");
        CommandResult bastion = root(SystemdContainer.projectDirectory().resolve("src/test/scripts/second-bastion") + "");
        assertThat(bastion.exitCode()).as(bastion.stderr()).isZero();
        for (int port : new int[] {2251, 2252, 2253}) {
            CommandResult key = root("scitex-tunnel keygen -p " + port + " >/dev/null && scitex-tunnel authorize -p "
                    + port + " 2>/dev/null >> " + AUTHORIZED);
            assertThat(key.exitCode()).as(key.stderr()).isZero();
        }
        CommandResult setup = root("scitex-tunnel setup -p 2251 -b tunnel@bastion.example.com:2022 -s " + KEY_A
                + " --accept-new");
        assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isZero();
        CommandResult hostB = root(hostB("host-b"));
        assertThat(hostB.exitCode()).as(hostB.stderr()).isZero();
        await("host B holds 2252").atMost(UP).until(() -> listening(2252));
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    @Order(1)
    void listsBothHostsWithKeySourceAndHealthAndAPermittedUnheldPortAsOffline() throws Exception {
        await().atMost(UP).until(() -> port(status(), 2251).map(p -> p.get("health").asText().equals("up")).orElse(false));
        CommandResult table = root(STATUS);
        System.out.println("bastion status, both hosts up:\n" + table.stdout() + table.stderr());
        assertThat(table.exitCode()).as(table.stderr()).isZero();
        assertThat(table.stdout()).containsPattern("2251 +127\\.0\\.0\\.1,::1 +tunnel +127\\.0\\.0\\.1:\\d+ ")
                .containsPattern("2252 +127\\.0\\.0\\.1,::1 +tunnel +127\\.0\\.0\\.3:\\d+ ")
                .containsPattern("2253 +- +tunnel +- +- +ssh-ed25519 SHA256:\\S+ +scitex-tunnel-2253@\\S+ +offline");

        JsonNode json = status();
        System.out.println("bastion status --json:\n" + json.toPrettyString());
        for (int port : new int[] {2251, 2252}) {
            JsonNode row = port(json, port).orElseThrow();
            String key = port == 2251 ? KEY_A : KEY_B;
            assertThat(row.get("fingerprint").asText()).isEqualTo(fingerprint(key + ".pub"));
            assertThat(row.get("key_type").asText()).isEqualTo("ssh-ed25519");
            assertThat(row.get("comment").asText()).matches("scitex-tunnel-" + port + "@\\S+");
            assertThat(row.get("account").asText()).isEqualTo("tunnel");
            assertThat(row.get("since").asText()).matches("\\d{4}-.*Z");
            assertThat(row.get("health").asText()).isEqualTo("up");
            assertThat(row.get("detail").asText()).contains("answered: SSH-2.0-OpenSSH");
        }
        assertThat(port(json, 2251).orElseThrow().get("source").asText()).startsWith("127.0.0.1:");
        assertThat(port(json, 2252).orElseThrow().get("source").asText()).startsWith("127.0.0.3:");
        JsonNode offline = port(json, 2253).orElseThrow();
        assertThat(offline.get("health").asText()).isEqualTo("offline");
        assertThat(offline.get("fingerprint").asText()).isEqualTo(fingerprint(KEY_C + ".pub"));
        assertThat(json.get("limits")).isEmpty();

        CommandResult metrics = root(STATUS + " --format prometheus > /tmp/bastion.prom; echo $?;"
                + " promtool check metrics < /tmp/bastion.prom && cat /tmp/bastion.prom");
        System.out.println("bastion status --format prometheus:\n" + metrics.stdout());
        assertThat(metrics.exitCode()).as("promtool: %s%s", metrics.stdout(), metrics.stderr()).isZero();
        assertThat(metrics.stdout()).startsWith("0\n")
                .containsPattern("scitex_tunnel_bastion_port_up\\{port=\"2251\",host=\"[^\"]+\",key=\"SHA256:[^\"]+\"} 1\n")
                .containsPattern("scitex_tunnel_bastion_port_health\\{port=\"2253\",[^}]*health=\"offline\"} 1\n");

        CommandResult alice = container.shAs("alice", STATUS);
        System.out.println("bastion status as alice:\n" + alice.stdout() + alice.stderr());
        assertThat(alice.stderr()).contains("not root");
    }

    @Test
    @Order(2)
    void withoutTheDropInABlackholedHostKeepsItsPortAndIsStale() throws Exception {
        long start = System.nanoTime();
        assertThat(root("iptables -A " + BLACKHOLE_B).exitCode()).isZero();
        try {
            await("host B stale").atMost(UP).until(() -> health(2252).equals("stale"));
            System.out.printf("without the drop-in: host B stale after %.1f s%n", (System.nanoTime() - start) / 1e9);
            Duration watched = Duration.ofSeconds(45);
            Optional<Double> freed = awaitFree(2252, start, watched);
            System.out.println("without the drop-in: port 2252 " + freed.map(s -> String.format("free after %.1f s", s))
                    .orElse("still held " + watched.toSeconds() + " s after the blackhole"));
            assertThat(freed).as("no keepalives: sshd keeps the dead session's port").isEmpty();
            CommandResult table = root(STATUS);
            System.out.println("bastion status, host B blackholed, no drop-in:\n" + table.stdout());
            assertThat(table.exitCode()).isEqualTo(3);
            assertThat(table.stdout()).containsPattern("2252 .* stale +the session's client stopped answering");
        } finally {
            root("iptables -D " + BLACKHOLE_B + "; systemctl stop host-b");
        }
        await("host B's session gone").atMost(UP).until(() -> !listening(2252));
    }

    @Test
    @Order(3)
    void applyChecksWithSshdRestoresABrokenSetupUntouchedAndIsIdempotent() throws Exception {
        // Before the drop-in, the restricted key may make the bastion listen on a Unix socket.
        assertThat(unixSocketForward()).as("permitlisten does not cover Unix sockets").isTrue();
        assertThat(shell()).as("root's unrestricted key gets a shell").contains("shell-opened");

        root("printf '# the admin s own\\nClientAliveInterval 7\\n' > " + DROP_IN + " && echo 'BogusDirective yes'"
                + " >> /srv/bastion2/sshd_config");
        String before = root("stat -c '%i %Y %a' " + DROP_IN + " && sha256sum " + DROP_IN).stdout();
        CommandResult broken = root(APPLY);
        System.out.println("apply over a broken configuration: " + broken.stdout() + broken.stderr());
        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.stderr()).contains("sshd -t rejected the configuration", "BogusDirective");
        assertThat(root("stat -c '%i %Y %a' " + DROP_IN + " && sha256sum " + DROP_IN).stdout())
                .as("the previous file, untouched").isEqualTo(before);
        assertThat(root("ls -a /etc/ssh/sshd_config.d").stdout()).doesNotContain("previous", ".tmp");

        root("sed -i '/BogusDirective/d' /srv/bastion2/sshd_config");
        CommandResult applied = root(APPLY);
        System.out.println("apply: " + applied.stdout() + applied.stderr());
        assertThat(applied.exitCode()).as(applied.stderr()).isZero();
        assertThat(applied.stdout()).contains("updated; sshd -t accepts it; bastion2-sshd.service reloaded");
        assertThat(root("sshd -t -f /srv/bastion2/sshd_config").exitCode()).isZero();
        assertThat(root("cat " + DROP_IN).stdout()).isEqualTo(root("scitex-tunnel bastion sshd-config 2>/dev/null").stdout());
        String installed = root("stat -c '%i %Y' " + DROP_IN).stdout();
        CommandResult again = root(APPLY);
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).contains("unchanged");
        assertThat(root("stat -c '%i %Y' " + DROP_IN).stdout()).isEqualTo(installed);

        assertThat(unixSocketForward()).as("the drop-in forbids Unix-socket forwards").isFalse();
        assertThat(shell()).as("the drop-in forbids shells to tunnel accounts").doesNotContain("shell-opened");
    }

    @Test
    @Order(4)
    void withTheDropInABlackholedHostIsStaleThenItsPortIsFreeWithinTheKeepaliveBound() throws Exception {
        CommandResult hostB = root(hostB("host-b-again"));
        assertThat(hostB.exitCode()).as(hostB.stderr()).isZero();
        await("host B holds 2252 again").atMost(UP).until(() -> listening(2252));
        await().atMost(UP).until(() -> health(2252).equals("up"));

        long start = System.nanoTime();
        assertThat(root("iptables -A " + BLACKHOLE_B).exitCode()).isZero();
        try {
            await("host B stale or freed").atMost(UP).until(() -> !health(2252).equals("up"));
            System.out.printf("with the drop-in: host B %s after %.1f s%n", health(2252), (System.nanoTime() - start) / 1e9);
            Optional<Double> freed = awaitFree(2252, start, Duration.ofSeconds(40));
            System.out.println("with the drop-in (ClientAliveInterval 2, ClientAliveCountMax 3): port 2252 "
                    + freed.map(s -> String.format("free after %.1f s", s)).orElse("still held after 40 s"));
            assertThat(freed).as("the drop-in's keepalives free the port").isPresent();
            // the drop-in's bound, plus one status run's polling on a busy machine
            assertThat(freed.get()).isLessThan(SshdDropIn.DEFAULT.boundSeconds() + 5.0);
            JsonNode json = status();
            System.out.println("bastion status --json, host B's port freed:\n" + port(json, 2252).orElseThrow().toPrettyString());
            assertThat(port(json, 2252).orElseThrow().get("health").asText()).isEqualTo("offline");
            assertThat(port(json, 2252).orElseThrow().get("last_seen").asText()).matches("\\d{4}-.*Z");
            assertThat(port(json, 2251).orElseThrow().get("health").asText()).as("host A unaffected").isEqualTo("up");
        } finally {
            root("iptables -D " + BLACKHOLE_B + "; systemctl stop host-b-again");
        }
    }

    @Test
    @Order(5)
    void sshConfigReachesTheHostThroughTheBastionWithStrictHostKeyCheckingAndNoPrompt() throws Exception {
        CommandResult block = root("scitex-tunnel ssh-config -p 2251 --name gpu01 --login root");
        System.out.println("ssh-config -p 2251 --name gpu01 --login root:\n" + block.stdout() + block.stderr());
        assertThat(block.exitCode()).as(block.stderr()).isZero();
        assertThat(block.stdout()).contains("Host gpu01\n", "    HostName localhost\n", "    Port 2251\n",
                "    User root\n", "    ProxyJump tunnel@bastion.example.com:2022\n", "    HostKeyAlias gpu01\n");
        CommandResult json = root("scitex-tunnel ssh-config -p 2251 --name gpu01 --json");
        assertThat(JSON.readTree(json.stdout()).get("known_hosts").asText())
                .isEqualTo("gpu01 " + root("cut -d' ' -f1-2 /etc/ssh/ssh_host_ed25519_key.pub").stdout().strip());

        CommandResult ssh = root("scitex-tunnel ssh-config -p 2251 --name gpu01 --login root > /tmp/gpu01.conf 2>/dev/null"
                + " && scitex-tunnel ssh-config -p 2251 --name gpu01 --known-hosts >> /root/.ssh/known_hosts"
                + " && ssh -F /tmp/gpu01.conf -o StrictHostKeyChecking=yes -o BatchMode=yes gpu01 'echo reached $(cat /etc/hostname) via $SSH_CONNECTION'"
                + " </dev/null");
        System.out.println("ssh -F gpu01.conf gpu01: " + ssh.stdout() + ssh.stderr());
        assertThat(ssh.exitCode()).as(ssh.stderr()).isZero();
        assertThat(ssh.stdout()).startsWith("reached ").contains("via 127.0.0.1 ");
        assertThat(ssh.stderr()).doesNotContain("authenticity", "Warning");
        assertThat(root("scitex-tunnel ssh-config -p 2299").exitCode()).as("no tunnel on 2299").isEqualTo(4);
    }

    /** Whether the restricted key A can make the bastion listen on a Unix socket (held for 3 s). */
    private boolean unixSocketForward() throws IOException {
        CommandResult forward = root("rm -f /tmp/tunnel.sock; timeout 3 ssh -N -o BatchMode=yes -o ExitOnForwardFailure=yes"
                + " -i " + KEY_A + " -p 2022 -R /tmp/tunnel.sock:localhost:22 tunnel@bastion.example.com; echo exit=$?");
        return forward.stdout().contains("exit=124");
    }

    /** What a shell of the tunnel account prints, logged in with root's unrestricted key. */
    private String shell() throws IOException {
        CommandResult shell = root("ssh -o BatchMode=yes -i /root/.ssh/id_rsa -p 2022 tunnel@bastion.example.com"
                + " 'echo shell-opened' </dev/null");
        return shell.stdout();
    }

    private Optional<Double> awaitFree(int port, long start, Duration atMost) throws Exception {
        long deadline = start + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!listening(port)) {
                return Optional.of((System.nanoTime() - start) / 1e9);
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    private boolean listening(int port) throws IOException {
        return !root("ss -ltnH 'sport = :" + port + "'").stdout().isBlank();
    }

    private String health(int port) throws IOException {
        return port(status(), port).map(p -> p.get("health").asText()).orElse("absent");
    }

    private JsonNode status() throws IOException {
        CommandResult status = root(STATUS + " --json");
        return JSON.readTree(status.stdout());
    }

    private static Optional<JsonNode> port(JsonNode status, int port) {
        return StreamSupport.stream(status.get("ports").spliterator(), false)
                .filter(p -> p.get("port").asInt() == port).findFirst();
    }

    private String fingerprint(String publicKey) throws IOException {
        return root("ssh-keygen -lf " + publicKey + " | cut -d' ' -f2").stdout().strip();
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }
}
