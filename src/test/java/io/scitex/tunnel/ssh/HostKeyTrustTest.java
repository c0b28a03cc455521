package io.scitex.tunnel.ssh;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.FakeRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeyTrustTest {
    private static final SshPublicKey PINNED = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E");
    private static final SshPublicKey KNOWN = new SshPublicKey("ecdsa-sha2-nistp256",
            "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBL8kCp27zOtMR9wD16OoJoxjHO0OyeoDtGuXgqadqmln3iDq0IwU4Z6njDvIcve6rLHuMvFxXMpUN9GHJVzQAe0=");
    private static final SshPublicKey FETCHED = new SshPublicKey("ssh-rsa", "AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7");
    private static final BastionAddress BASTION = BastionAddress.parse("u@bastion.example.com:2200");

    @TempDir
    Path dir;

    private final List<BastionAddress> scanned = new ArrayList<>();

    private HostKeyScanner scanner(List<SshPublicKey> keys) {
        return new HostKeyScanner(FakeRunner.succeeding(""), "ssh-keyscan") {
            @Override
            public List<SshPublicKey> scan(BastionAddress bastion) {
                scanned.add(bastion);
                return keys;
            }
        };
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void standardFilesAreThoseSshReads() {
        assertThat(HostKeyTrust.standardFiles(Path.of("/home/alice"))).containsExactly(
                Path.of("/home/alice/.ssh/known_hosts"), Path.of("/home/alice/.ssh/known_hosts2"),
                Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2"));
    }

    @Test
    void prefersKeyPinnedEarlier() throws Exception {
        Path pin = file("pin", PINNED.knownHostsLine("[bastion.example.com]:2200"));
        Path known = file("known", KNOWN.knownHostsLine("[bastion.example.com]:2200"));

        TrustedHostKeys trusted = new HostKeyTrust(List.of(known), scanner(List.of(FETCHED))).resolve(BASTION, pin, true);

        assertThat(trusted.keys()).containsExactly(PINNED);
        assertThat(trusted.source()).isEqualTo(HostKeySource.PINNED);
        assertThat(trusted.origin()).isEqualTo(pin.toString());
        assertThat(scanned).isEmpty();
    }

    @Test
    void takesKeyFromFirstKnownHostsFileThatHasOne() throws Exception {
        Path empty = file("empty", "# nothing\n");
        Path other = file("other", KNOWN.knownHostsLine("bastion.example.com"));
        Path known = file("known", KNOWN.knownHostsLine("[bastion.example.com]:2200"));
        Path later = file("later", PINNED.knownHostsLine("[bastion.example.com]:2200"));

        TrustedHostKeys trusted = new HostKeyTrust(List.of(dir.resolve("absent"), empty, other, known, later),
                scanner(List.of(FETCHED))).resolve(BASTION, dir.resolve("no-pin"), false);

        assertThat(trusted.keys()).containsExactly(KNOWN);
        assertThat(trusted.source()).isEqualTo(HostKeySource.KNOWN_HOSTS);
        assertThat(trusted.origin()).isEqualTo(known.toString());
    }

    @Test
    void refusesUnknownKeyWithoutAcceptNew() {
        HostKeyTrust trust = new HostKeyTrust(List.of(), scanner(List.of(FETCHED)));

        assertThatThrownBy(() -> trust.resolve(BASTION, dir.resolve("no-pin"), false))
                .isInstanceOf(TunnelException.class).hasMessageContaining("[bastion.example.com]:2200")
                .hasMessageContaining("ssh -p 2200 u@bastion.example.com").hasMessageContaining("--accept-new")
                .satisfies(e -> assertOneLine(e));
        assertThat(scanned).isEmpty();
    }

    @Test
    void fetchesKeyWithAcceptNew() {
        TrustedHostKeys trusted = new HostKeyTrust(List.of(), scanner(List.of(FETCHED)))
                .resolve(BASTION, dir.resolve("no-pin"), true);

        assertThat(trusted.keys()).containsExactly(FETCHED);
        assertThat(trusted.source()).isEqualTo(HostKeySource.FETCHED);
        assertThat(scanned).containsExactly(BASTION);
    }

    @Test
    void failsWhenBastionPresentsNoKey() {
        HostKeyTrust trust = new HostKeyTrust(List.of(), scanner(List.of()));

        assertThatThrownBy(() -> trust.resolve(BASTION, dir.resolve("no-pin"), true))
                .isInstanceOf(TunnelException.class).hasMessageContaining("could not fetch the host key");
    }

    @Test
    void failsWhenScanCannotRun() {
        HostKeyTrust trust = new HostKeyTrust(List.of(),
                new HostKeyScanner(FakeRunner.throwing("ssh-keyscan did not finish within 90 s"), "ssh-keyscan"));

        assertThatThrownBy(() -> trust.resolve(BASTION, dir.resolve("no-pin"), true))
                .isInstanceOf(TunnelException.class).hasMessageContaining("did not finish")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void skipsKnownHostsThatIsADirectory() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("known_hosts"));
        Path known = file("known", KNOWN.knownHostsLine("[bastion.example.com]:2200"));

        TrustedHostKeys trusted = new HostKeyTrust(List.of(directory, known), scanner(List.of()))
                .resolve(BASTION, dir.resolve("no-pin"), false);

        assertThat(trusted.keys()).containsExactly(KNOWN);
    }
}
