package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.HostName;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.OpenSsh;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelEndpointsTest {
    private static final Path AUTOSSH = Path.of("/usr/bin/autossh");
    private static final Path KNOWN_HOSTS = Path.of("/etc/scitex-tunnel/2222/known_hosts");

    private static TunnelEndpoints ofOwnArgv(String bastion, String target) {
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse(bastion))
                .target(TargetAddress.parse(target)).key(Path.of("/k")).serviceUser("alice").build();
        return TunnelEndpoints.fromArgv(AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS));
    }

    private static TunnelEndpoints of(String... argv) {
        return TunnelEndpoints.fromArgv(List.of(argv));
    }

    @Test
    void readsOwnArgv() {
        TunnelEndpoints endpoints = ofOwnArgv("tunnel@bastion.example.com", "localhost:22");

        assertThat(endpoints.bastion()).hasValue("tunnel@bastion.example.com");
        assertThat(endpoints.target()).hasValue("localhost:22");
        assertThat(endpoints.identityFile()).hasValue("/k");
        assertThat(endpoints.knownHostsFiles()).containsExactly(KNOWN_HOSTS.toString());
    }

    @Test
    void readsOwnArgvWithPortAndIpv6Target() {
        TunnelEndpoints endpoints = ofOwnArgv("tunnel@bastion.example.com:2200", "[::1]:8022");

        assertThat(endpoints.bastion()).hasValue("tunnel@bastion.example.com:2200");
        assertThat(endpoints.target()).hasValue("[::1]:8022");
    }

    @Test
    void readsOwnArgvWithIpv6BastionOnOtherPort() {
        TunnelEndpoints endpoints = ofOwnArgv("u@[2001:db8::1]:2200", "localhost:22");

        assertThat(endpoints.bastion()).contains("u@[2001:db8::1]:2200");
        assertThat(BastionAddress.parse(endpoints.bastion().orElseThrow()))
                .isEqualTo(BastionAddress.parse("u@[2001:db8::1]:2200"));
    }

    @Test
    void readsOwnArgvWithIpv6BastionOnPort22() {
        assertThat(ofOwnArgv("[2001:db8::1]", "localhost:22").bastion()).contains("2001:db8::1");
    }

    @Test
    void readsArgvOfThePythonTool() {
        TunnelEndpoints endpoints = of("/usr/bin/autossh", "-M", "0", "-N", "-o", "ServerAliveInterval 30",
                "-R", "2222:localhost:22", "user@bastion.example.com", "-i", "/root/.ssh/id_rsa");

        assertThat(endpoints).isEqualTo(new TunnelEndpoints(Optional.of("user@bastion.example.com"),
                Optional.of("localhost:22"), Optional.of("/root/.ssh/id_rsa"), List.of()));
    }

    @Test
    void readsPortConcatenatedToOption() {
        assertThat(of("/usr/bin/ssh", "-p2200", "-R2222:localhost:22", "bastion").bastion()).contains("bastion:2200");
    }

    @Test
    void readsPortAndUserGivenAsOptions() {
        assertThat(of("/usr/bin/ssh", "-oPort=2200", "-o", "User=bob", "-R", "2222:localhost:22", "bastion").bastion())
                .contains("bob@bastion:2200");
        assertThat(of("/usr/bin/ssh", "-o", "port 2200", "bastion").bastion()).contains("bastion:2200");
    }

    @Test
    void readsLoginOption() {
        assertThat(of("/usr/bin/ssh", "-l", "bob", "bastion").bastion()).contains("bob@bastion");
    }

    @Test
    void firstUserGivenWinsAsInSsh() {
        assertThat(of("/usr/bin/ssh", "-lbob", "alice@bastion").bastion()).contains("bob@bastion");
        assertThat(of("/usr/bin/ssh", "alice@bastion", "-l", "bob").bastion()).contains("alice@bastion");
        assertThat(of("/usr/bin/ssh", "-o", "User=carol", "-l", "bob", "bastion").bastion()).contains("carol@bastion");
    }

    @Test
    void firstPortGivenWinsAsInSsh() {
        assertThat(of("/usr/bin/ssh", "-p", "2200", "-oPort=2300", "-p2400", "bastion").bastion())
                .contains("bastion:2200");
    }

    @Test
    void omitsPort22() {
        assertThat(of("/usr/bin/ssh", "-p", "22", "bastion").bastion()).contains("bastion");
    }

    @Test
    void readsSshUri() {
        assertThat(of("/usr/bin/ssh", "-p", "2200", "ssh://bob@bastion").bastion()).contains("bob@bastion:2200");
        assertThat(of("/usr/bin/ssh", "ssh://bob@bastion:2201").bastion()).contains("bob@bastion:2201");
        assertThat(of("/usr/bin/ssh", "-p", "2200", "ssh://bastion:2201/").bastion()).contains("bastion:2200");
        assertThat(of("/usr/bin/ssh", "ssh://[2001:db8::1]:2201").bastion()).contains("[2001:db8::1]:2201");
    }

    @Test
    void readsForwardWithBindAddress() {
        assertThat(of("/usr/bin/ssh", "-R", "0.0.0.0:2222:localhost:22", "bastion").target()).contains("localhost:22");
        assertThat(of("/usr/bin/ssh", "-R", "[::1]:2222:[::1]:22", "bastion").target()).contains("[::1]:22");
        assertThat(of("/usr/bin/ssh", "-R", "*:2222:10.0.0.5:80", "bastion").target()).contains("10.0.0.5:80");
    }

    @Test
    void usesTheLastForward() {
        assertThat(of("/usr/bin/ssh", "-R", "1:a:1", "-R", "2:b:2", "bastion").target()).contains("b:2");
    }

    @Test
    void keepsForwardWithoutTargetAsWritten() {
        assertThat(of("/usr/bin/ssh", "-R", "2222", "bastion").target()).contains("2222");
    }

    @Test
    void treatsMonitorPortAsAutosshOption() {
        assertThat(of("/usr/bin/autossh", "-M", "20000", "bastion").bastion()).contains("bastion");
        assertThat(of("/usr/bin/autossh", "-M20000", "-f", "bastion").bastion()).contains("bastion");
    }

    @Test
    void treatsMAsFlagForPlainSsh() {
        assertThat(of("/usr/bin/ssh", "-M", "bastion").bastion()).contains("bastion");
    }

    @Test
    void readsOptionArgumentBundledAfterFlags() {
        TunnelEndpoints endpoints = of("/usr/bin/ssh", "-fNR", "2222:localhost:22", "-Tp2200", "user@bastion");

        assertThat(endpoints).isEqualTo(
                new TunnelEndpoints(Optional.of("user@bastion:2200"), Optional.of("localhost:22")));
    }

    @Test
    void ignoresRemoteCommandAfterDestination() {
        assertThat(of("/usr/bin/ssh", "-N", "bastion", "uptime", "-p", "2200").bastion()).contains("bastion");
    }

    @Test
    void readsOptionsAfterDestination() {
        assertThat(of("/usr/bin/ssh", "bastion", "-p", "2200", "-R", "2222:localhost:22"))
                .isEqualTo(new TunnelEndpoints(Optional.of("bastion:2200"), Optional.of("localhost:22")));
    }

    @Test
    void readsDestinationAfterDoubleDash() {
        assertThat(of("/usr/bin/ssh", "-R", "2222:localhost:22", "--", "bastion").bastion()).contains("bastion");
    }

    @Test
    void knowsNothingOfAnEmptyArgv() {
        assertThat(TunnelEndpoints.fromArgv(List.of()))
                .isEqualTo(new TunnelEndpoints(Optional.empty(), Optional.empty()));
        assertThat(of("/usr/bin/autossh", "-M", "0", "-N"))
                .isEqualTo(new TunnelEndpoints(Optional.empty(), Optional.empty()));
    }

    @Test
    void toleratesOptionWithoutArgumentAtTheEnd() {
        assertThat(of("/usr/bin/ssh", "bastion", "-R")).isEqualTo(new TunnelEndpoints(Optional.of("bastion"),
                Optional.of("")));
    }

    static Stream<List<String>> sshCommandLines() {
        List<String> own = new ArrayList<>(List.of("/usr/bin/ssh"));
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("u@[2001:db8::1]:2200"))
                .target(TargetAddress.parse("[::1]:22")).key(Path.of("/k")).serviceUser("alice").build();
        List<String> autossh = AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS);
        own.addAll(autossh.subList(4, autossh.size()));
        return Stream.of(
                own,
                List.of("/usr/bin/ssh", "-N", "-o", "ServerAliveInterval 30", "-R", "2222:localhost:22",
                        "user@bastion.example.com", "-i", "/root/.ssh/id_rsa"),
                List.of("/usr/bin/ssh", "-p2200", "-R2222:localhost:22", "bastion"),
                List.of("/usr/bin/ssh", "-oPort=2200", "-o", "User=bob", "-R", "2222:localhost:22", "bastion"),
                List.of("/usr/bin/ssh", "-o", "Port 2200", "bastion"),
                List.of("/usr/bin/ssh", "-l", "bob", "alice@bastion"),
                List.of("/usr/bin/ssh", "alice@bastion", "-l", "bob"),
                List.of("/usr/bin/ssh", "-p", "2200", "-p", "2300", "-oPort=2400", "bastion"),
                List.of("/usr/bin/ssh", "-fNR", "2222:localhost:22", "-Tp2200", "user@bastion"),
                List.of("/usr/bin/ssh", "-NTR", "2222:localhost:22", "-o", "User bob", "Bastion.Example.com"),
                List.of("/usr/bin/ssh", "-R", "0.0.0.0:2222:localhost:22", "bastion"),
                List.of("/usr/bin/ssh", "-R", "[::1]:2222:[::1]:22", "bastion"),
                List.of("/usr/bin/ssh", "-R", "1:a:1", "-R", "2:b:2", "bastion"),
                List.of("/usr/bin/ssh", "-N", "bastion", "uptime", "-p", "2200"),
                List.of("/usr/bin/ssh", "bastion", "-p", "2200", "-R", "2222:localhost:22"),
                List.of("/usr/bin/ssh", "-p", "2200", "ssh://bob@bastion:2201"),
                List.of("/usr/bin/ssh", "ssh://bob@bastion:2201"),
                List.of("/usr/bin/ssh", "-l", "bob", "-p", "2200", "2001:db8::1"),
                List.of("/usr/bin/ssh", "-R", "2222:localhost:22", "--", "bastion"));
    }

    @ParameterizedTest
    @MethodSource("sshCommandLines")
    void agreesWithSshOnBastionAndForward(List<String> argv) {
        List<String[]> config = OpenSsh.config(argv.subList(1, argv.size()));
        String user = setting(config, "user");
        String host = setting(config, "hostname");
        String port = setting(config, "port");
        List<String> forwards = config.stream().filter(kv -> kv[0].equals("remoteforward")).map(kv -> kv[1]).toList();

        TunnelEndpoints endpoints = TunnelEndpoints.fromArgv(argv);

        String bastion = endpoints.bastion().orElseThrow();
        String expectedHostPort = port.equals("22") ? host : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        if (bastion.contains("@")) {
            assertThat(bastion).isEqualToIgnoringCase(user + "@" + expectedHostPort);
        } else {
            assertThat(bastion).isEqualToIgnoringCase(expectedHostPort);
            assertThat(user).isEqualTo(System.getProperty("user.name"));
        }
        if (forwards.isEmpty()) {
            assertThat(endpoints.target()).isEmpty();
        } else {
            String target = forwards.get(forwards.size() - 1).split(" ")[1];
            String targetHost = target.substring(1, target.lastIndexOf(']'));
            String targetPort = target.substring(target.lastIndexOf(':') + 1);
            assertThat(endpoints.target()).contains(HostName.withPort(targetHost, Integer.parseInt(targetPort)));
        }
    }

    private static String setting(List<String[]> config, String keyword) {
        return config.stream().filter(kv -> kv[0].equals(keyword)).map(kv -> kv[1]).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/home/alice/.ssh/id_ed25519", "/home/al ice/key with spaces", "/tmp/100%/key",
            "/tmp/quote\"d/key", "/tmp/back\\slash\\\"/key", "/tmp/it's/key", "/tmp/ünï/ключ"})
    void theKeyAndPinFileWrittenBySetupReadBackExactly(String key) {
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("user@bastion.example.com"))
                .key(Path.of(key)).serviceUser("alice").build();
        Path pins = Path.of("/etc/scitex-tunnel/2222/known_hosts");
        List<String> argv = AutosshCommandLine.argv(Path.of("/usr/bin/autossh"), spec, pins);

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
