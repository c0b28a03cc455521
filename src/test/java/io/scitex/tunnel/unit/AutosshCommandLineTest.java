package io.scitex.tunnel.unit;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.OpenSsh;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AutosshCommandLineTest {
    private static final Path AUTOSSH = Path.of("/usr/bin/autossh");
    private static final Path KNOWN_HOSTS = Path.of("/etc/scitex-tunnel/2222/known_hosts");

    private static TunnelSpec.Builder spec() {
        return TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("tunnel@bastion.example.com:2200"))
                .key(Path.of("/home/alice/.ssh/id_ed25519")).serviceUser("alice");
    }

    @Test
    void buildsTheExactArgvForASampleSpec() {
        assertThat(AutosshCommandLine.argv(AUTOSSH, spec().build(), KNOWN_HOSTS)).containsExactly(
                "/usr/bin/autossh", "-M", "0", "-N", "-F", "none",
                "-o", "ServerAliveInterval=5",
                "-o", "ServerAliveCountMax=3",
                "-o", "ConnectTimeout=10",
                "-o", "ExitOnForwardFailure=yes",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=/etc/scitex-tunnel/2222/known_hosts",
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "UpdateHostKeys=no",
                "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none",
                "-o", "IdentityFile=/home/alice/.ssh/id_ed25519",
                "-p", "2200",
                "-R", "2222:localhost:22",
                "-l", "tunnel",
                "bastion.example.com");
    }

    @Test
    void omitsLoginWhenBastionHasNoUser() {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().bastion(BastionAddress.parse("bastion")).build(),
                KNOWN_HOSTS);

        assertThat(argv).doesNotContain("-l").endsWith("-p", "22", "-R", "2222:localhost:22", "bastion");
    }

    @Test
    void passesKeepaliveSettings() {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().keepalive(new Keepalive(10, 6)).build(), KNOWN_HOSTS);

        assertThat(argv).containsSubsequence("-o", "ServerAliveInterval=10", "-o", "ServerAliveCountMax=6");
    }

    @Test
    void bracketsIpv6TargetInForward() {
        TunnelSpec spec = spec().target(TargetAddress.parse("[::1]:22")).build();

        assertThat(AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS)).containsSubsequence("-R", "2222:[::1]:22");
        assertThat(AutosshCommandLine.remoteForward(spec)).isEqualTo("2222:[::1]:22");
    }

    @Test
    void forwardsToOtherTargets() {
        TunnelSpec spec = spec().port(8080).target(TargetAddress.parse("web.lan:80")).build();

        assertThat(AutosshCommandLine.remoteForward(spec)).isEqualTo("8080:web.lan:80");
    }

    @Test
    void passesIpv6BastionBareAsLastArgument() {
        TunnelSpec spec = spec().bastion(BastionAddress.parse("u@[2001:db8::1]:2200")).build();

        assertThat(AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS)).endsWith("-l", "u", "2001:db8::1");
    }

    @Test
    void doublesPercentInKnownHostsPath() {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().build(), Path.of("/etc/kh%d/known_hosts"));

        assertThat(argv).contains("UserKnownHostsFile=/etc/kh%%d/known_hosts");
    }

    @Test
    void passesKeyWithPercentAsIdentityFileOptionWithPercentDoubled() {
        TunnelSpec spec = spec().key(Path.of("/keys/100%/id_%h")).build();

        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS);

        assertThat(argv).containsSubsequence("-o", "IdentityFile=/keys/100%%/id_%%h", "-p").doesNotContain("-i");
    }

    @Test
    void sshFindsKeyWhosePathHoldsPercent(@TempDir Path dir) throws Exception {
        Path key = OpenSsh.generate(Files.createDirectory(dir.resolve("100%")).resolve("id"), "ed25519", "");
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().key(key).build(), KNOWN_HOSTS);

        OpenSsh.Result result = OpenSsh.run(sshG(argv));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).doesNotContain("not accessible")
                .contains("identityfile " + key.toString().replace("%", "%%"));
    }

    @Test
    void givesTheKeyAsAnIdentityFileOptionNeverDashI() {
        assertThat(AutosshCommandLine.argv(AUTOSSH, spec().build(), KNOWN_HOSTS)).doesNotContain("-i")
                .containsSubsequence("-o", "IdentityFile=/home/alice/.ssh/id_ed25519");
    }

    @Test
    void quotesKnownHostsPathWithSpaceSoSshReadsOneFile() {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().build(), Path.of("/etc/my tunnels/2222/known_hosts"));

        assertThat(argv).contains("UserKnownHostsFile=\"/etc/my tunnels/2222/known_hosts\"");
    }

    @Test
    void escapesQuotesAndBackslashesInsideQuotedPath() {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().build(), Path.of("/etc/a'b\"c\\d%/known_hosts"));

        assertThat(argv).contains("UserKnownHostsFile=\"/etc/a'b\\\"c\\d%%/known_hosts\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/a'b\"c\\d #%/known_hosts", "/etc/my tunnels/kh", "/etc/100%/%h%%/kh", "/etc/x\\",
        "/etc/\"", "/etc/'", "/etc/#kh", "/etc/ключ 😀/kh", "/etc/$HOME/kh", "/etc/-oProxyCommand=x/kh", "/etc/a\tb",
        "/etc/a\u00a0b\u3000c"})
    void sshReadsKnownHostsPathBackAsWritten(String path) {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().build(), Path.of(path));

        OpenSsh.Result result = OpenSsh.run(sshG(argv));

        assertThat(result.exitCode()).as(result.stdout()).isZero();
        assertThat(result.stdout().lines()).contains("userknownhostsfile " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/keys/100%/id", "/keys/a b%/id", "/keys/q\"%'/id", "/keys/%%\\/id", "/keys/#%/id",
        "/keys/my \"tunnel\" key's/id", "/keys/$HOME/id", "/keys/back\\slash/id"})
    void sshReadsKeyPathBackAsWritten(String path) {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().key(Path.of(path)).build(), KNOWN_HOSTS);

        OpenSsh.Result result = OpenSsh.run(sshG(argv));

        assertThat(result.exitCode()).as(result.stdout()).isZero();
        assertThat(result.stdout().lines()).contains("identityfile " + path.replace("%", "%%"));
    }

    /** {@code ssh -G} with the ssh part of an autossh argv: ssh's own reading of the options, connecting nowhere. */
    static List<String> sshG(List<String> autosshArgv) {
        List<String> argv = new java.util.ArrayList<>(List.of("ssh", "-G"));
        argv.addAll(autosshArgv.subList(4, autosshArgv.size()));
        return argv;
    }

    @Test
    void rejectsVariableInKeyPath() {
        TunnelSpec spec = spec().key(Path.of("/keys/${HOME}/id")).build();

        assertThatThrownBy(() -> AutosshCommandLine.argv(AUTOSSH, spec, KNOWN_HOSTS))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("${")
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void rejectsVariableInKnownHostsPath() {
        assertThatThrownBy(() -> AutosshCommandLine.argv(AUTOSSH, spec().build(), Path.of("/etc/${X}/known_hosts")))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void environmentNeverGivesUpAndBoundsBackoff() {
        assertThat(AutosshCommandLine.ENVIRONMENT).containsExactly("AUTOSSH_GATETIME=0", "AUTOSSH_POLL=10");
    }

    @Test
    void argvIsImmutable() {
        List<String> argv = AutosshCommandLine.argv(AUTOSSH, spec().build(), KNOWN_HOSTS);

        assertThatThrownBy(() -> argv.add("-oProxyCommand=x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
