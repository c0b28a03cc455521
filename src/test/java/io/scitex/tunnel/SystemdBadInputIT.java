package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input, typed into a real machine with systemd and a real bastion: one clear line on stderr,
 * the documented exit code, and nothing written — no unit, no pinned key, no loaded service, no file an
 * injected option would have created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemdBadInputIT {
    private static final String OK_BASTION = "user@bastion.example.com";
    private static final String STATE = "{ find /etc/systemd/system /etc/scitex-tunnel -type f -o -type l 2>/dev/null"
            + " | sort | xargs -r sha256sum; systemctl list-units --all --plain --no-legend 'autossh-tunnel-*';"
            + " ls /tmp/pwned 2>/dev/null; } 2>&1";
    private SystemdContainer container;
    private String before;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("sudo", "apt-get install sudo");
        container = SystemdContainer.bootE2eWorld("scitex-bad-input");
        CommandResult keys = container.sh("install -m 640 ~/.ssh/id_rsa ~/group_readable_key"
                + " && ssh-keygen -q -t ed25519 -N secret -f ~/passphrase_key"
                + " && printf 'not a key\\n' > ~/not_a_key && chmod 600 ~/not_a_key");
        assertThat(keys.exitCode()).as(keys.stderr()).isZero();
        CommandResult holder = container.sh("systemd-run --quiet --unit=port-holder ssh -N -o BatchMode=yes"
                + " -o ExitOnForwardFailure=yes -i /root/.ssh/id_rsa -R 2240:localhost:22 user@bastion.example.com");
        assertThat(holder.exitCode()).as(holder.stderr()).isZero();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(container.sh("ss -ltnH 'sport = :2240'").stdout()).as("port 2240 held").isNotBlank());
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @BeforeEach
    void recordState() throws IOException {
        before = container.sh(STATE).stdout();
    }

    static Stream<Arguments> badInputs() {
        String setup = "scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/.ssh/id_rsa";
        return Stream.of(
                root("scitex-tunnel setup -p 0 -b " + OK_BASTION + " -s ~/.ssh/id_rsa", 2, "port must be from 1 to 65535, not 0"),
                root("scitex-tunnel setup -p 65536 -b " + OK_BASTION + " -s ~/.ssh/id_rsa", 2, "port must be from 1 to 65535"),
                root("scitex-tunnel setup -p abc -b " + OK_BASTION + " -s ~/.ssh/id_rsa", 2, "port must be a number"),
                root("scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/.ssh/missing", 2, "/root/.ssh/missing does not exist"),
                root("scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/.ssh/id_rsa.pub", 2, "is a public key"),
                root("scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/group_readable_key", 2, "chmod 600 /root/group_readable_key"),
                root("scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/passphrase_key", 2, "passphrase"),
                root("scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/not_a_key", 2, "not an SSH private key"),
                root("scitex-tunnel setup -p 2230 --bastion=-oProxyCommand=/tmp/pwned -s ~/.ssh/id_rsa", 2, "starts with '-'"),
                root("scitex-tunnel setup -p 2230 -b '-oProxyCommand=touch /tmp/pwned' -s ~/.ssh/id_rsa", 2, "whitespace"),
                root("scitex-tunnel setup -p 2230 -b 'user@-oProxyCommand=touch' -s ~/.ssh/id_rsa", 2, "starts with '-'"),
                root("scitex-tunnel setup -p 2230 -b '" + OK_BASTION + " -oProxyCommand=touch /tmp/pwned' -s ~/.ssh/id_rsa", 2, "whitespace"),
                root("scitex-tunnel setup -p 2230 -b \"$(printf '" + OK_BASTION + "\\nExecStartPre=/bin/touch /tmp/pwned')\" -s ~/.ssh/id_rsa", 2, "whitespace or a control character"),
                root("scitex-tunnel setup -p 2230 -b 'us\"er@bastion.example.com' -s ~/.ssh/id_rsa", 2, "not a valid login name"),
                root("scitex-tunnel setup -p 2230 -b " + OK_BASTION + ":70000 -s ~/.ssh/id_rsa", 2, "bastion SSH port must be from 1 to 65535"),
                root("scitex-tunnel setup -p 2230 -b 'bastion.example.com;touch' -s ~/.ssh/id_rsa", 2, "is not a host name"),
                root(setup + " --target 'localhost:22 -oProxyCommand=x'", 2, "target port must be a number"),
                root("env -u SCITEX_TUNNEL_BASTION_SERVER scitex-tunnel setup -p 2230 -s ~/.ssh/id_rsa", 2, "SCITEX_TUNNEL_BASTION_SERVER"),
                root("scitex-tunnel setup -b " + OK_BASTION + " -s ~/.ssh/id_rsa", 2, "Missing required option: '--port=PORT'"),
                root("scitex-tunnel setup -p 2230 -b user@127.0.0.2 -s ~/.ssh/id_rsa", 1, "rerun setup with --accept-new"),
                alice("scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/.ssh/id_ed25519", 1, "run with sudo"),
                alice("sudo /opt/bin/scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s /root/.ssh/id_rsa --accept-new", 2, "chown alice /root/.ssh/id_rsa"),
                root("scitex-tunnel setup -p 2240 -b " + OK_BASTION + " -s ~/.ssh/id_rsa", 1, "port 2240 is taken on the bastion"),
                root("scitex-tunnel setup -p 2230 -b nosuchuser@bastion.example.com -s ~/.ssh/id_rsa", 1,
                        "nosuchuser@bastion.example.com does not accept the key"),
                root("scitex-tunnel setup -p 2230 -b user@127.0.0.3 -s ~/.ssh/id_rsa --accept-new", 1,
                        "(127.0.0.3) does not accept connections on port 22"),
                root("scitex-tunnel setup -p 2230 -b user@127.0.0.2 -s ~/.ssh/id_rsa --accept-new --no-check", 1,
                        "rerun setup with --accept-new"),
                root(setup + " --engine bogus", 2, "engine 'bogus' is not one of autossh, native"),
                root(setup + " --passphrase-file /root/not_a_key", 2, "--passphrase-file needs --engine native"),
                root("scitex-tunnel setup -p 2230 -b " + OK_BASTION + " -s ~/passphrase_key --engine native", 2,
                        "is protected by a passphrase"),
                root("scitex-tunnel run -p 2230 -b " + OK_BASTION + " -s ~/.ssh/id_rsa --known-hosts /root/not_a_key", 78,
                        "no host key of bastion bastion.example.com is pinned in /root/not_a_key"),
                root("scitex-tunnel remove -p 2299", 4, "no tunnel on port 2299"),
                root("scitex-tunnel remove -p 99999", 2, "port must be from 1 to 65535"),
                root("scitex-tunnel status -p 2299", 4, "no tunnel on port 2299"),
                root("scitex-tunnel frobnicate", 2, "Unmatched argument"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {2}")
    @MethodSource("badInputs")
    void badInputGetsOneClearLineAndWritesNothing(String user, String command, int exitCode, String message)
            throws IOException {
        CommandResult result = user.equals("root") ? container.sh(command) : container.shAs(user, command);

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isEqualTo(exitCode);
        assertThat(result.stderr().strip().lines()).as("stderr").hasSize(1)
                .allSatisfy(line -> assertThat(line).startsWith("scitex-tunnel: ").contains(message).doesNotContain("\tat "));
        assertThat(result.stdout()).as("stdout").doesNotContain("Wrote");
        assertThat(container.sh(STATE).stdout()).as("state of units, pins and /tmp/pwned").isEqualTo(before);
    }

    private static Arguments root(String command, int exitCode, String message) {
        return Arguments.of("root", command, exitCode, message);
    }

    private static Arguments alice(String command, int exitCode, String message) {
        return Arguments.of("alice", command, exitCode, message);
    }
}
