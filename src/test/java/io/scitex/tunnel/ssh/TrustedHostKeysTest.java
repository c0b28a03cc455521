package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedHostKeysTest {
    private static final SshPublicKey ED25519 = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E");
    private static final SshPublicKey ECDSA = new SshPublicKey("ecdsa-sha2-nistp256",
            "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL8kCp27zOtMR9wD16OoJoxjHO0OyeoDtGuXgqadqmln3iDq0IwU4Z6njDvIcve6rLHuMvFxXMpUN9GHJVzQAe0=");

    @TempDir
    Path dir;

    @Test
    void rejectsEmptyKeyList() {
        assertThatThrownBy(() -> new TrustedHostKeys(List.of(), HostKeySource.FETCHED, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsItsOwnCopyOfTheKeys() {
        List<SshPublicKey> keys = new ArrayList<>(List.of(ED25519));
        TrustedHostKeys trusted = new TrustedHostKeys(keys, HostKeySource.PINNED, "pin");
        keys.add(ECDSA);

        assertThat(trusted.keys()).containsExactly(ED25519);
    }

    @Test
    void pinFileStartsWithCommentNamingSourceAndOrigin() {
        String file = new TrustedHostKeys(List.of(ED25519), HostKeySource.KNOWN_HOSTS, "/root/.ssh/known_hosts")
                .knownHostsFile("bastion");

        assertThat(file.lines().findFirst()).hasValueSatisfying(first -> assertThat(first).startsWith("#")
                .contains("known_hosts: /root/.ssh/known_hosts"));
    }

    @Test
    void pinFileHoldsOneLinePerKeyUnderTheName() {
        String file = new TrustedHostKeys(List.of(ED25519, ECDSA), HostKeySource.FETCHED, "ssh-keyscan")
                .knownHostsFile("[bastion]:2200");

        assertThat(file.lines().skip(1)).containsExactly(ED25519.knownHostsLine("[bastion]:2200"),
                ECDSA.knownHostsLine("[bastion]:2200"));
        assertThat(KnownHosts.parse(file).keysFor("[bastion]:2200")).containsExactly(ED25519, ECDSA);
    }

    @Test
    void sshKeygenFindsThePinnedKeys() throws Exception {
        Path file = Files.writeString(dir.resolve("known_hosts"),
                new TrustedHostKeys(List.of(ED25519, ECDSA), HostKeySource.FETCHED, "ssh-keyscan")
                        .knownHostsFile("[bastion.example.com]:2200"));

        assertThat(OpenSsh.find(file, "[bastion.example.com]:2200")).hasSize(2);
        assertThat(OpenSsh.find(file, "bastion.example.com")).isEmpty();
    }
}
