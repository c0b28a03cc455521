package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.engine.NativeTunnel;
import io.scitex.tunnel.engine.TunnelOptions;
import io.scitex.tunnel.engine.TunnelPhase;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.testing.BannerServer;
import io.scitex.tunnel.testing.HostileServer;
import io.scitex.tunnel.testing.Loopback;
import io.scitex.tunnel.testing.Messages;
import io.scitex.tunnel.testing.OpenSshBastion;
import io.scitex.tunnel.testing.OwnedProcess;
import io.scitex.tunnel.testing.Prerequisites;
import io.scitex.tunnel.testing.ReverseForwards;
import io.scitex.tunnel.testing.StateRecorder;
import io.scitex.tunnel.testing.TestMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile or broken bastion (or target) sends never reaches a terminal raw, and a port that does not
 * speak SSH is reported as "not an SSH server", never as a bastion that refused the tunnel's key: real
 * servers on 127.0.0.1 that greet with terminal escapes and garbage, answer like an HTTP server, or end the
 * handshake with a disconnect reason full of escapes; and a real OpenSSH bastion whose forward leads to a
 * target that greets with escapes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class HostileBastionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.program("ssh-keygen", "install openssh-client");
    }

    @Test
    void aPortThatGreetsWithEscapesAndThenGarbageIsNoSshServerAndItsGreetingIsShownEscaped() throws Exception {
        try (HostileServer evil = HostileServer.evilGreeting()) {
            ProbeOutcome outcome = probe(evil.port());

            assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.BASTION_UNREACHABLE);
            assertThat(outcome.detail()).matches(Messages::isOneLine, "one line without control characters")
                    .contains("not an SSH server", "SSH-2.0-evil\\x1b[2J")
                    .doesNotContain("refused the tunnel's key");
        }
    }

    @Test
    void anHttpServerOnTheBastionsPortIsNoSshServer() throws Exception {
        try (HostileServer http = HostileServer.http()) {
            ProbeOutcome outcome = probe(http.port());

            assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.BASTION_UNREACHABLE);
            assertThat(outcome.detail()).matches(Messages::isOneLine, "one line without control characters")
                    .contains("not an SSH server", HostileServer.HTTP_STATUS)
                    .doesNotContain("refused the tunnel's key");
        }
    }

    @Test
    void aDisconnectReasonWithEscapesIsShownEscaped() throws Exception {
        try (HostileServer disconnecting = HostileServer.disconnecting("go away\u001b[2J\u0007")) {
            ProbeOutcome outcome = probe(disconnecting.port());

            assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.BASTION_UNREACHABLE);
            assertThat(outcome.detail()).matches(Messages::isOneLine, "one line without control characters")
                    .contains("go away\\x1b[2J").doesNotContain("refused the tunnel's key");
        }
    }

    @Test
    void setupsLoginToAPortThatIsNoSshServerFailsAtConnectingNotAtTheKey() throws Exception {
        try (HostileServer evil = HostileServer.evilGreeting(); HostileServer http = HostileServer.http()) {
            for (HostileServer server : List.of(evil, http)) {
                BastionAddress address = new BastionAddress(Optional.empty(), "127.0.0.1", server.port());
                assertThatThrownBy(() -> BastionSession.open(address, USER, KeyPairLoader.load(key()), knownHosts(server),
                        TIMEOUT).close())
                        .isInstanceOfSatisfying(BastionCheckException.class, e -> {
                            assertThat(e.step()).isEqualTo(BastionSession.Step.CONNECT);
                            Messages.assertOneLine(e);
                            assertThat(e.getMessage()).contains("not an SSH server").doesNotContain("does not accept the key");
                        });
            }
        }
    }

    @Test
    void theNativeEngineLogsADisconnectReasonFromTheBastionEscaped() throws Exception {
        try (HostileServer disconnecting = HostileServer.disconnecting("go away\u001b[2J\u0007")) {
            StateRecorder states = new StateRecorder();
            TunnelSpec spec = TunnelSpec.builder().port(Loopback.freePort())
                    .bastion(BastionAddress.parse(USER + "@127.0.0.1:" + disconnecting.port()))
                    .target(new TargetAddress("127.0.0.1", 22)).key(key()).serviceUser(USER).build();
            try (NativeTunnel tunnel = NativeTunnel.start(spec, TunnelOptions.of(knownHosts(disconnecting)), states)) {
                var failed = states.awaitFirst("a failed attempt", s -> s.phase() == TunnelPhase.BACKING_OFF, 0,
                        Duration.ofSeconds(20));
                String error = failed.state().lastError().orElseThrow();
                assertThat(error).as(states.describe()).matches(Messages::isOneLine, "one line without control characters")
                        .contains("go away\\x1b[2J");
            }
        }
    }

    @Test
    void aTargetThatGreetsWithEscapesIsShownEscapedThroughARealTunnel() throws Exception {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ss", "install iproute2");
        Path ssh = Prerequisites.program("ssh", "install openssh-client");
        try (OpenSshBastion bastion = OpenSshBastion.start(dir.resolve("bastion"));
             BannerServer target = BannerServer.start("SSH-2.0-target\u001b]0;pwned\u0007\u001b[2J\u00c2\u009b31m")) {
            List<Integer> forwards = new ArrayList<>();
            try (OwnedProcess ignored = ReverseForwards.start(ssh, bastion, List.of(target.port()), forwards,
                    dir.resolve("logs"))) {
                ProbeOutcome outcome = new ForwardProbe(TIMEOUT).probeAll(List.of(new ForwardProbe.Tunnel(forwards.get(0),
                        BastionAddress.parse("127.0.0.1:" + bastion.port()), USER, bastion.clientKey(), bastion.knownHosts(),
                        Optional.of(new TargetAddress("127.0.0.1", target.port())), Optional.empty()))).get(0);

                assertThat(outcome.result()).as(outcome.detail()).isEqualTo(Result.TARGET_ANSWERED);
                assertThat(outcome.detail()).matches(Messages::isOneLine, "one line without control characters")
                        .endsWith("answered through the tunnel: SSH-2.0-target\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m");
            }
        }
    }

    private ProbeOutcome probe(int port) throws Exception {
        return new ForwardProbe(TIMEOUT).probeAll(List.of(new ForwardProbe.Tunnel(Loopback.freePort(),
                BastionAddress.parse("127.0.0.1:" + port), USER, key(), knownHosts(port),
                Optional.empty(), Optional.empty()))).get(0);
    }

    private Path key() throws Exception {
        Path key = dir.resolve("id_ed25519");
        if (!Files.exists(key)) {
            OpenSshBastion.generateKey(key);
        }
        return key;
    }

    /** A pin for 127.0.0.1:{@code port}: the server never gets as far as showing a host key. */
    private Path knownHosts(int port) throws Exception {
        Path file = dir.resolve("known_hosts_" + port);
        Files.writeString(file, "[127.0.0.1]:" + port + " " + TestMachine.publicKeyText() + "\n");
        return file;
    }

    private Path knownHosts(HostileServer server) throws Exception {
        return knownHosts(server.port());
    }
}
