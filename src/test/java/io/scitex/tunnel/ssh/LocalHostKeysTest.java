package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalHostKeysTest {
    @TempDir
    Path etc;

    @Test
    void prefersEd25519ThenEcdsaThenRsa() throws Exception {
        Path rsa = OpenSsh.generate(etc.resolve("ssh_host_rsa_key"), "rsa", "");
        assertThat(new LocalHostKeys(etc).preferred().type()).isEqualTo("ssh-rsa");
        Path ecdsa = OpenSsh.generate(etc.resolve("ssh_host_ecdsa_key"), "ecdsa", "");
        assertThat(new LocalHostKeys(etc).preferred().type()).startsWith("ecdsa-sha2-");
        Path ed25519 = OpenSsh.generate(etc.resolve("ssh_host_ed25519_key"), "ed25519", "");

        SshPublicKey key = new LocalHostKeys(etc).preferred();
        assertThat(key.type()).isEqualTo("ssh-ed25519");
        assertThat(key.fingerprint()).isEqualTo(OpenSsh.fingerprint(Path.of(ed25519 + ".pub")));
        assertThat(rsa).isNotEqualTo(ecdsa);
    }

    @Test
    void noHostKeySaysWhatToDo() {
        assertThatThrownBy(() -> new LocalHostKeys(etc).preferred()).isInstanceOf(TunnelException.class)
                .hasMessageContaining("no sshd host key in").hasMessageContaining("--host-key");
    }

    @Test
    void aFileThatIsNotAPublicKeyIsSaidSo() throws Exception {
        Path file = Files.writeString(etc.resolve("not.pub"), "hello\u001b[2J world\n");

        assertThatThrownBy(() -> LocalHostKeys.read(file)).isInstanceOf(TunnelException.class)
                .hasMessageContaining("is not an OpenSSH public key");
    }

    @Test
    void allAreTheSshdsPublicKeysInRegularFilesNeverLinksOrPrivateKeys(@TempDir Path ssh) throws Exception {
        String ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        Files.writeString(ssh.resolve("ssh_host_ed25519_key.pub"), "ssh-ed25519 " + ed25519 + " root@here\n");
        Files.writeString(ssh.resolve("ssh_host_rsa_key.pub"), "not a key\n");
        Files.writeString(ssh.resolve("ssh_host_ed25519_key"), "private, never read\n");
        Files.createSymbolicLink(ssh.resolve("ssh_host_ecdsa_key.pub"), Path.of("/nonexistent/elsewhere.pub"));

        assertThat(new LocalHostKeys(ssh).all()).containsExactly(new SshPublicKey("ssh-ed25519", ed25519));
        assertThat(new LocalHostKeys(ssh.resolve("missing")).all()).isEmpty();
    }
}
