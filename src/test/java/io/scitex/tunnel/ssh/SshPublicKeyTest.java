package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SshPublicKeyTest {
    @TempDir
    Path dir;

    static SshPublicKey read(Path publicKey) throws Exception {
        String[] fields = Files.readString(publicKey).strip().split(" ");
        return new SshPublicKey(fields[0], fields[1]);
    }

    @ParameterizedTest
    @CsvSource({"ed25519,ssh-ed25519", "rsa,ssh-rsa", "ecdsa,ecdsa-sha2-nistp256"})
    void fingerprintIsWhatSshKeygenPrints(String type, String keyType) throws Exception {
        Path key = OpenSsh.generate(dir.resolve("host_" + type), type, "");
        SshPublicKey hostKey = read(Path.of(key + ".pub"));

        assertThat(hostKey.type()).isEqualTo(keyType);
        assertThat(hostKey.fingerprint()).isEqualTo(OpenSsh.fingerprint(Path.of(key + ".pub")))
                .startsWith("SHA256:").doesNotEndWith("=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-b 384", "-b 521"})
    void fingerprintMatchesForLargerEcdsaCurves(String bits) throws Exception {
        Path key = OpenSsh.generate(dir.resolve("ecdsa"), "ecdsa", "", bits.split(" "));

        assertThat(read(Path.of(key + ".pub")).fingerprint()).isEqualTo(OpenSsh.fingerprint(Path.of(key + ".pub")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"ssh ed25519|AAAA", "SSH-RSA|AAAA", "ssh-rsa|AA AA", "ssh-rsa|AAAA$",
        "x|AAAA", "ssh-rsa|A===", "ssh-rsa|AAAAA"})
    void rejectsWhatIsNotAHostKey(String type, String base64) {
        assertThatThrownBy(() -> new SshPublicKey(type, base64)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"bastion.example.com", "[bastion.example.com]:2200"})
    void knownHostsLinePinsKeyForName(String name) {
        SshPublicKey key = new SshPublicKey("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E");

        assertThat(key.knownHostsLine(name)).isEqualTo(name + " ssh-ed25519 " + key.base64());
        assertThat(KnownHosts.parse(key.knownHostsLine(name)).keysFor(name)).containsExactly(key);
    }

    @Test
    void toStringShowsTypeAndFingerprint() {
        SshPublicKey key = new SshPublicKey("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIEOvRqcHbPKzZS2G+iGby9rGGnzn3j6BxRXpKvUAQA+E");

        assertThat(key).hasToString("ssh-ed25519 SHA256:f5i6YE/Jwa2we0UNkE+OTGtEdU38H5IoyvY1gurnRLE");
    }
}
