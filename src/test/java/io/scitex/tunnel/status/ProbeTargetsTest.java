package io.scitex.tunnel.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.ssh.ForwardProbe;
import io.scitex.tunnel.testing.FakeRunner;
import io.scitex.tunnel.testing.OpenSsh;
import io.scitex.tunnel.testing.TestMachine;
import io.scitex.tunnel.unit.InstalledUnit;
import io.scitex.tunnel.unit.RunCommandLine;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a probe reads as root are checked first as files of the tunnel's service user. */
class ProbeTargetsTest {
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path home;

    /** Knows this process's user and nobody, both with their home in the temporary directory. */
    private final ProbeTargets targets = new ProbeTargets(new Users(new FakeRunner(argv -> new CommandResult(argv, 0,
            argv.get(2) + ":x:" + (argv.get(2).equals(ME) ? 0 : 65534) + ":0::" + home + ":/bin/sh\n", "")), Map.of()));

    private InstalledTunnel tunnel(String user, Path key, Optional<Path> passphrase) {
        TunnelSpec spec = TunnelSpec.builder().port(2222).bastion(BastionAddress.parse("user@bastion.example.com"))
                .key(key).serviceUser(user).build();
        Path knownHosts = home.resolve("known_hosts");
        UnitProgram program = new UnitProgram(Engine.NATIVE, RunCommandLine.argv(Path.of("/opt/bin/scitex-tunnel"),
                spec, knownHosts), List.of(), List.of(), passphrase);
        TunnelStatus status = new TunnelStatus(2222, "autossh-tunnel-2222.service", Optional.of("user@bastion.example.com"),
                Optional.of("localhost:22"), "active", "running", Optional.empty(), 0, Optional.empty(),
                TunnelHealth.fromServiceState("active", "running", TestMachine.NOW));
        return new InstalledTunnel(status, InstalledUnit.parse(TunnelUnit.render(spec, program, "test")));
    }

    @Test
    void aKeyOfTheServiceUsersOwnIsProbedAsTheFileItReallyIs() throws Exception {
        Path key = OpenSsh.generate(home.resolve("id"), "ed25519", "");
        Path link = Files.createSymbolicLink(home.resolve("link"), key);

        ForwardProbe.Tunnel probe = targets.of(tunnel(ME, link, Optional.empty()), new HashMap<>());

        assertThat(probe.key()).isEqualTo(key.toRealPath());
    }

    @Test
    void aKeyThatIsNotTheServiceUsersIsNotProbed() throws Exception {
        Path key = OpenSsh.generate(home.resolve("id"), "ed25519", "");
        Path link = Files.createSymbolicLink(home.resolve("link"), key);

        assertThatThrownBy(() -> targets.of(tunnel("nobody", link, Optional.empty()), new HashMap<>()))
                .isInstanceOf(TunnelException.class)
                .hasMessage("not probed: key " + link + " (a link to " + key.toRealPath() + ") belongs to " + ME
                        + ", not to nobody: give a file of nobody's own");
    }

    @Test
    void aMissingKeyIsLeftForTheProbeToReport() {
        Path key = home.resolve("absent");

        assertThat(targets.of(tunnel(ME, key, Optional.empty()), new HashMap<>()).key()).isEqualTo(key);
    }

    @Test
    void aPassphraseFileMustBeRootsOwnOrTheServiceUsers() throws Exception {
        Path key = OpenSsh.generate(home.resolve("id"), "ed25519", "");
        Path usersCopy = Files.writeString(home.resolve("passphrase"), "x\n");

        assertThat(targets.of(tunnel(ME, key, Optional.of(Path.of("/etc/passwd"))), new HashMap<>()).passphrase())
                .as("root's own, out of every user's reach").contains(Path.of("/etc/passwd"));
        assertThat(targets.of(tunnel(ME, key, Optional.of(usersCopy)), new HashMap<>()).passphrase()).contains(usersCopy);
        assertThatThrownBy(() -> targets.of(tunnel("nobody", home.resolve("absent"), Optional.of(usersCopy)),
                new HashMap<>())).isInstanceOf(TunnelException.class)
                .hasMessage("not probed: passphrase file " + usersCopy + " belongs to " + ME + ", not to nobody: chown nobody "
                        + usersCopy);
    }
}
