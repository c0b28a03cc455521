package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.SystemdContainer;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Root acting for a user, as {@code sudo scitex-tunnel} does, against a real unprivileged user (alice, see
 * {@code src/test/scripts/e2e-world}) who tries to turn that into root's files: the tool does the user's file
 * work with the user's rights, reads the user's files only as theirs, never lets systemd read a path the user
 * controls, and gives the service user what it must read whatever root's umask. Each test uses its own port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RootOnBehalfOfUsersIT {
    private static final Duration TUNNEL_UP = Duration.ofSeconds(40);
    private static final String SUDO = "sudo /opt/bin/scitex-tunnel ";
    /** A file only root may read, shaped like a public key line so that a leak of it would print it. */
    private static final String ROOT_SECRET = "rootonly c2VjcmV0LW9mLXJvb3Q= secret";
    private SystemdContainer container;

    @BeforeAll
    void bootMachine() throws Exception {
        Prerequisites.requireProgram("sshd", "apt-get install openssh-server");
        Prerequisites.requireProgram("autossh", "apt-get install autossh");
        Prerequisites.requireProgram("sudo", "apt-get install sudo");
        container = SystemdContainer.bootE2eWorld("scitex-root-users");
        CommandResult secret = root("printf '%s\\n' '" + ROOT_SECRET + "' > /root/secret && chmod 600 /root/secret"
                + " && cp -p /root/secret /etc/victim");
        assertThat(secret.exitCode()).as(secret.stderr()).isZero();
    }

    @AfterEach
    void removeLeftoverTunnels() throws IOException {
        root(SystemdContainer.REMOVE_ALL_TUNNELS);
    }

    @AfterAll
    void powerOff() throws IOException {
        if (container != null) {
            container.close();
        }
    }

    @Test
    void keygenUnderSudoNeitherReplacesNorHandsOverRootsFilesAndMakesEverythingTheUsers() throws Exception {
        CommandResult outside = alice(SUDO + "keygen -p 2250 -s /etc/victim --force");
        assertThat(outside.exitCode()).as(outside.stdout()).isEqualTo(2);
        assertThat(outside.stderr().strip()).startsWith("scitex-tunnel: keygen puts keys only where alice keeps files")
                .doesNotContain("\n");
        assertRootsSecretUntouched("/etc/victim");

        CommandResult throughLink = alice("ln -s /etc/victim ~/.ssh/victim-link && " + SUDO
                + "keygen -p 2250 -s ~/.ssh/victim-link --force");
        assertThat(throughLink.exitCode()).as(throughLink.stderr()).isZero();
        assertThat(root("stat -c '%F %U %a' /home/alice/.ssh/victim-link").stdout().strip())
                .as("the link was replaced by alice's key, not followed").isEqualTo("regular file alice 600");
        assertRootsSecretUntouched("/etc/victim");

        CommandResult deep = alice(SUDO + "keygen -p 2250 -s ~/keys/deep/tunnel_key");
        assertThat(deep.exitCode()).as(deep.stderr()).isZero();
        assertThat(root("stat -c '%n %U %a' /home/alice/keys /home/alice/keys/deep /home/alice/keys/deep/tunnel_key"
                + " /home/alice/keys/deep/tunnel_key.pub").stdout().strip().lines()).containsExactly(
                "/home/alice/keys alice 700", "/home/alice/keys/deep alice 700",
                "/home/alice/keys/deep/tunnel_key alice 600", "/home/alice/keys/deep/tunnel_key.pub alice 644");
        assertThat(root("ls -A /home/alice/keys/deep").stdout().strip().lines())
                .as("no temporary directory left").containsExactlyInAnyOrder("tunnel_key", "tunnel_key.pub");
    }

    @Test
    void authorizeUnderSudoNeverPrintsAFileOnlyRootMayRead() throws Exception {
        CommandResult linked = alice("ssh-keygen -q -t ed25519 -N '' -f ~/k && rm ~/k.pub && ln -s /root/secret ~/k.pub"
                + " && " + SUDO + "authorize -p 2251 -s ~/k");

        assertThat(linked.exitCode()).isEqualTo(2);
        assertThat(linked.stdout() + linked.stderr()).doesNotContain("c2VjcmV0", "rootonly");
        assertThat(linked.stderr().strip()).isEqualTo("scitex-tunnel: public key /home/alice/k.pub (a link to /root/secret)"
                + " belongs to root, not to alice: give a file of alice's own");
    }

    @Test
    void setupRefusesAPassphraseFileThatLinksToAFileOnlyRootMayRead() throws Exception {
        CommandResult prepared = alice("ssh-keygen -q -t ed25519 -N 'pass phrase' -f ~/.ssh/linked_key"
                + " && ln -s /root/secret ~/.ssh/linked_key.pass");
        assertThat(prepared.exitCode()).as(prepared.stderr()).isZero();

        CommandResult refused = alice(SUDO + "setup -p 2252 -b user@bastion.example.com -s ~/.ssh/linked_key"
                + " --engine native --passphrase-file ~/.ssh/linked_key.pass --accept-new");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr().strip()).isEqualTo("scitex-tunnel: passphrase file /home/alice/.ssh/linked_key.pass"
                + " (a link to /root/secret) belongs to root, not to alice: give a file of alice's own");
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2252.service")).doesNotExist();
    }

    /**
     * systemd reads LoadCredential= as PID 1 at every start: were it alice's file, she could swap it for a link
     * to a root-only file after setup and read that file inside her service.
     */
    @Test
    void thePassphraseReachesTheServiceFromRootsCopyEvenAfterTheUsersFileIsSwapped() throws Exception {
        CommandResult prepared = alice("ssh-keygen -q -t ed25519 -N 'pass phrase' -f ~/.ssh/pkey"
                + " && printf 'pass phrase\\n' > ~/.ssh/pkey.pass && chmod 600 ~/.ssh/pkey.pass");
        assertThat(prepared.exitCode()).as(prepared.stderr()).isZero();
        assertThat(root("cat /home/alice/.ssh/pkey.pub >> /srv/bastion/authorized_keys/user").exitCode()).isZero();
        CommandResult setup = alice(SUDO + "setup -p 2256 -b user@bastion.example.com -s ~/.ssh/pkey --engine native"
                + " --passphrase-file ~/.ssh/pkey.pass --accept-new");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
        container.awaitSshThroughTunnel(2256, TUNNEL_UP);

        CommandResult swapped = alice("rm ~/.ssh/pkey.pass && ln -s /root/secret ~/.ssh/pkey.pass");
        assertThat(swapped.exitCode()).as(swapped.stderr()).isZero();
        assertThat(root("systemctl restart autossh-tunnel-2256.service").exitCode()).isZero();

        assertThat(root("cat /run/credentials/autossh-tunnel-2256.service/passphrase").stdout())
                .as("what alice's service received").isEqualTo("pass phrase\n");
        assertThat(root("grep '^LoadCredential=' /etc/systemd/system/autossh-tunnel-2256.service").stdout().strip())
                .isEqualTo("LoadCredential=passphrase:/etc/scitex-tunnel/2256/passphrase");
        assertThat(root("stat -c '%U %a' /etc/scitex-tunnel/2256/passphrase").stdout().strip()).isEqualTo("root 600");
        container.awaitSshThroughTunnel(2256, TUNNEL_UP);

        assertThat(alice(SUDO + "remove -p 2256").exitCode()).isZero();
        assertThat(container.etc().resolve("scitex-tunnel/2256")).as("the passphrase copy is gone").doesNotExist();
    }

    /** sudo keeps the caller's umask when it is stricter than its own: hardened hosts run setup under 077. */
    @Test
    void setupUnderUmask077GivesTheServiceUserItsPinsAndTheTunnelWorks() throws Exception {
        assertThat(alice("umask 077; sudo sh -c umask").stdout().strip()).as("umask under sudo").isEqualTo("0077");

        CommandResult setup = alice("umask 077; " + SUDO + "setup -p 2253 -b user@bastion.example.com"
                + " -s ~/.ssh/id_ed25519 --accept-new");

        assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isZero();
        assertThat(root("stat -c '%n %U %a' /etc/scitex-tunnel /etc/scitex-tunnel/2253 /etc/scitex-tunnel/2253/known_hosts")
                .stdout().strip().lines()).containsExactly("/etc/scitex-tunnel root 755", "/etc/scitex-tunnel/2253 root 755",
                "/etc/scitex-tunnel/2253/known_hosts root 644");
        CommandResult status = root("scitex-tunnel status -p 2253");
        assertThat(status.exitCode()).as(status.stdout()).isZero();
        assertThat(status.stdout()).containsPattern("2253 .* up ");
        container.awaitSshThroughTunnel(2253, TUNNEL_UP);
    }

    /** SSSD and Active Directory accounts carry their domain in the name; systemd accepts them in User=. */
    @Test
    void aServiceUserNamedLikeADirectoryAccountGetsAWorkingTunnel() throws Exception {
        String user = "alice.smith@lab.example.org";
        CommandResult made = root("useradd --badname -m -s /bin/bash " + user + " && runuser -u " + user
                + " -- bash -c 'mkdir -p -m 700 ~/.ssh && ssh-keygen -q -t ed25519 -N \"\" -f ~/.ssh/id_ed25519'"
                + " && cat /home/" + user + "/.ssh/id_ed25519.pub >> /srv/bastion/authorized_keys/user");
        assertThat(made.exitCode()).as(made.stderr()).isZero();

        CommandResult setup = root("SUDO_USER=" + user + " scitex-tunnel setup -p 2254 -b user@bastion.example.com"
                + " -s /home/" + user + "/.ssh/id_ed25519 --accept-new");

        assertThat(setup.exitCode()).as(setup.stdout() + setup.stderr()).isZero();
        assertThat(setup.stdout()).contains("runs as " + user);
        await().atMost(TUNNEL_UP).untilAsserted(() -> assertThat(root("ps -o uid= -p $(systemctl show -p MainPID --value"
                + " autossh-tunnel-2254.service)").stdout().strip()).isEqualTo(root("id -u " + user).stdout().strip()));
        assertThat(root("scitex-tunnel status -p 2254").exitCode()).isZero();
        container.awaitSshThroughTunnel(2254, TUNNEL_UP);
    }

    @Test
    void rootOnAReadOnlyEtcIsToldSoRatherThanToUseSudo() throws Exception {
        CommandResult readOnly = root("unshare -m sh -c 'mount --bind /etc /etc && mount -o remount,bind,ro /etc"
                + " && exec scitex-tunnel setup -p 2255 -b user@bastion.example.com -s ~/.ssh/id_rsa'");

        assertThat(readOnly.exitCode()).as(readOnly.stdout()).isEqualTo(1);
        assertThat(readOnly.stderr().strip()).isEqualTo("scitex-tunnel: /etc/systemd/system is read-only: no unit can be"
                + " written there (remount it read-write)");
        assertThat(container.etc().resolve("systemd/system/autossh-tunnel-2255.service")).doesNotExist();
    }

    private void assertRootsSecretUntouched(String file) throws IOException {
        assertThat(root("stat -c '%F %U %a' " + file).stdout().strip()).isEqualTo("regular file root 600");
        assertThat(root("cat " + file).stdout().strip()).isEqualTo(ROOT_SECRET);
    }

    private CommandResult root(String script) throws IOException {
        return container.sh(script);
    }

    private CommandResult alice(String script) throws IOException {
        return container.shAs("alice", script);
    }
}
