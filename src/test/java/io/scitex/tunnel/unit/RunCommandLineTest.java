package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunCommandLineTest {
    private static final Path LAUNCHER = Path.of("/opt/scitex-tunnel/bin/scitex-tunnel");
    private static final Path KNOWN_HOSTS = Path.of("/etc/scitex-tunnel/2222/known_hosts");

    private static TunnelSpec spec(String bastion, Path key) {
        return TunnelSpec.builder().port(2222).bastion(BastionAddress.parse(bastion))
                .target(new TargetAddress("localhost", 8888)).key(key).serviceUser("alice")
                .keepalive(new Keepalive(7, 4)).build();
    }

    @Test
    void theArgvSpellsOutEverySetting() {
        List<String> argv = RunCommandLine.argv(LAUNCHER, spec("user@bastion.example.com:2200",
                Path.of("/home/alice/.ssh/id_ed25519")), KNOWN_HOSTS);

        assertThat(argv).containsExactly("/opt/scitex-tunnel/bin/scitex-tunnel", "run", "-p", "2222",
                "-b", "user@bastion.example.com:2200", "-s", "/home/alice/.ssh/id_ed25519",
                "--target", "localhost:8888", "--known-hosts", "/etc/scitex-tunnel/2222/known_hosts",
                "--keepalive", "7", "--keepalive-count", "4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user@bastion.example.com", "bastion.example.com:2200", "user@[2001:db8::1]:2200"})
    void statusReadsTheBastionAndTargetBack(String bastion) {
        List<String> argv = RunCommandLine.argv(LAUNCHER, spec(bastion, Path.of("/k -b x --target y")), KNOWN_HOSTS);

        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(argv);

        assertThat(endpoints.bastion()).contains(BastionAddress.parse(bastion).toString());
        assertThat(endpoints.target()).contains("localhost:8888");
    }

    @Test
    void aRunCommandWithoutTargetLeadsToTheLocalSshd() {
        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(List.of("/usr/local/bin/scitex-tunnel", "run", "-v",
                "--port=2222", "--bastion=user@host", "--known-hosts", "/x"));

        assertThat(endpoints).isEqualTo(new TunnelEndpoints(Optional.of("user@host"), Optional.of("localhost:22"),
                Optional.empty(), List.of("/x")));
    }

    @Test
    void probesFindTheKeyAndPinsOfARunCommandAsSshConfigWords() {
        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(RunCommandLine.argv(LAUNCHER,
                spec("user@bastion.example.com", Path.of("/keys/100%/id")), KNOWN_HOSTS));

        assertThat(endpoints.identityFile()).hasValue("/keys/100%%/id");
        assertThat(SshConfigWords.expandPath(endpoints.identityFile().orElseThrow(), Path.of("/root"), "root"))
                .isEqualTo(Path.of("/keys/100%/id"));
        assertThat(endpoints.knownHostsFiles()).containsExactly(KNOWN_HOSTS.toString());
    }

    @Test
    void onlyTheLaunchersRunIsTheNativeEngine() {
        assertThat(RunCommandLine.isRunCommand(List.of("/x/bin/scitex-tunnel", "run", "-p", "1"))).isTrue();
        assertThat(RunCommandLine.isRunCommand(List.of("scitex-tunnel", "run"))).isTrue();
        assertThat(RunCommandLine.isRunCommand(List.of("/x/bin/scitex-tunnel", "status"))).isFalse();
        assertThat(RunCommandLine.isRunCommand(List.of("/usr/bin/autossh", "run"))).isFalse();
        assertThat(RunCommandLine.isRunCommand(List.of("/x/bin/not-scitex-tunnel", "run"))).isFalse();
    }

    @Test
    void theServiceIsToldWhichJavaToRunAndNeverToBuild() {
        assertThat(RunCommandLine.environment(Path.of("/usr/lib/jvm/java-17/bin/java")))
                .containsExactly("SCITEX_TUNNEL_JAVA=/usr/lib/jvm/java-17/bin/java", "SCITEX_TUNNEL_NO_BUILD=1");
    }
}
