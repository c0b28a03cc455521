package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.testing.FakeRunner;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostKeyScannerTest {
    private static final SshPublicKey ED25519 = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E");
    private static final SshPublicKey ECDSA = new SshPublicKey("ecdsa-sha2-nistp256",
            "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL8kCp27zOtMR9wD16OoJoxjHO0OyeoDtGuXgqadqmln3iDq0IwU4Z6njDvIcve6rLHuMvFxXMpUN9GHJVzQAe0=");

    @Test
    void scansBastionPortWithoutLettingHostBeAnOption() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("");

        new HostKeyScanner(runner, "/usr/bin/ssh-keyscan").scan(BastionAddress.parse("u@bastion.example.com:2200"));

        assertThat(runner.commands()).containsExactly(
                List.of("/usr/bin/ssh-keyscan", "-T", "5", "-p", "2200", "--", "bastion.example.com"));
    }

    @Test
    void returnsKeysPrintedForTheBastionsKnownHostsName() throws Exception {
        FakeRunner runner = FakeRunner.succeeding("# bastion.example.com:2200 SSH-2.0-OpenSSH_9.2\n"
                + ED25519.knownHostsLine("[bastion.example.com]:2200") + "\n"
                + ECDSA.knownHostsLine("[bastion.example.com]:2200") + "\n"
                + ECDSA.knownHostsLine("bastion.example.com") + "\n");

        List<SshPublicKey> keys = new HostKeyScanner(runner, "ssh-keyscan").scan(BastionAddress.parse("bastion.example.com:2200"));

        assertThat(keys).containsExactly(ED25519, ECDSA);
    }

    @Test
    void ignoresKeysPrintedForOtherNames() throws Exception {
        FakeRunner runner = FakeRunner.succeeding(ED25519.knownHostsLine("[bastion.example.com]:2200") + "\n");

        assertThat(new HostKeyScanner(runner, "ssh-keyscan").scan(BastionAddress.parse("bastion.example.com"))).isEmpty();
    }

    @Test
    void unreachableBastionHasNoKeys() throws Exception {
        FakeRunner runner = FakeRunner.failing(1, "connect to host bastion port 22: Connection refused");

        assertThat(new HostKeyScanner(runner, "ssh-keyscan").scan(BastionAddress.parse("bastion"))).isEmpty();
    }

    @Test
    void passesOnFailureToRun() {
        assertThatThrownBy(() -> new HostKeyScanner(FakeRunner.throwing("no ssh-keyscan"), "ssh-keyscan")
                .scan(BastionAddress.parse("bastion"))).isInstanceOf(IOException.class).hasMessage("no ssh-keyscan");
    }
}
