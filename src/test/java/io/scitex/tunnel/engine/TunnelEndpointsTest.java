package io.scitex.tunnel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.service.UnitFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TunnelEndpointsTest {
    @ParameterizedTest
    @ValueSource(strings = {"/home/alice/.ssh/id_ed25519", "/home/al ice/key with spaces", "/tmp/100%/key",
            "/tmp/quote\"d/key", "/tmp/back\\slash\\\"/key", "/tmp/it's/key", "/tmp/ünï/ключ"})
    void theKeyAndPinFileWrittenBySetupReadBackExactly(String key) {
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("user@bastion.example.com"))
                .key(Path.of(key)).serviceUser("alice").build();
        Path pins = Path.of("/etc/scitex-tunnel/2222/known_hosts");
        List<String> argv = AutosshCommand.argv(Path.of("/usr/bin/autossh"), spec, pins);

        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(argv);

        assertThat(endpoints.identityFile()).isPresent();
        assertThat(SshConfigWords.expandPath(endpoints.identityFile().get(), Path.of("/home/alice"), "alice"))
                .isEqualTo(Path.of(key));
        assertThat(endpoints.knownHostsFiles()).containsExactly(pins.toString());
        assertThat(endpoints.bastion()).hasValue("user@bastion.example.com");
        assertThat(endpoints.target()).hasValue("localhost:22");
    }

    @Test
    void thePythonToolsUnitGivesTheKeyWithDashIAfterTheDestination() {
        List<String> argv = UnitFile.splitExec("/usr/bin/autossh -M 0 -o \"ServerAliveInterval 30\" -NR"
                + " 2226:localhost:22 user@bastion.example.com -i /root/.ssh/id_rsa");

        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(argv);

        assertThat(endpoints.identityFile()).hasValue("/root/.ssh/id_rsa");
        assertThat(endpoints.knownHostsFiles()).as("ssh's defaults").isEmpty();
        assertThat(endpoints.bastion()).hasValue("user@bastion.example.com");
    }

    @Test
    void optionsWithSpacesAroundTheEqualsSignAndSeveralKnownHostsFiles() {
        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(List.of("ssh", "-o", "IdentityFile = ~/.ssh/k",
                "-o", "UserKnownHostsFile \"/a b/known\" /c/known", "-i", "/ignored/second",
                "-o", "UserKnownHostsFile=/ignored/later", "host"));

        assertThat(endpoints.identityFile()).as("the first key wins, as in ssh").hasValue("~/.ssh/k");
        assertThat(endpoints.knownHostsFiles()).containsExactly("/a b/known", "/c/known");
        assertThat(SshConfigWords.expandPath("~/.ssh/k", Path.of("/home/bob"), "bob")).isEqualTo(Path.of("/home/bob/.ssh/k"));
        assertThat(SshConfigWords.expandPath("%d/.ssh/%u-%%-%h", Path.of("/home/bob"), "bob"))
                .isEqualTo(Path.of("/home/bob/.ssh/bob-%-%h"));
    }

    @Test
    void sshConfigWordsFollowSshsEscapes() {
        assertThat(SshConfigWords.split("\"a \\\"b\\\" c\" d\\ e 'f g'")).containsExactly("a \"b\" c", "d e", "f g");
        assertThat(SshConfigWords.split("\"C:\\path\"")).as("unknown escapes stay").containsExactly("C:\\path");
        assertThat(SshConfigWords.split("  ")).isEmpty();
    }
}
