package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link SharedLogins}: which tunnels share a login, and how its outcome reaches the probes that wait for it. */
class SharedLoginsTest {
    private static final String PINS = "bastion.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc\n";
    private static final KeyPair KEY = generate();
    private static final BastionAddress BASTION = BastionAddress.parse("bastion.example.com:22");

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SharedLogins.Key key(String bastion, String login, KeyPair key, String pins) {
        ForwardProbe.Tunnel tunnel = new ForwardProbe.Tunnel(2222, BastionAddress.parse(bastion), login,
                Path.of("/etc/scitex-tunnel/2222/id"), Path.of("/etc/scitex-tunnel/2222/known_hosts"), Optional.empty(),
                Optional.empty());
        return SharedLogins.Key.of(tunnel, new ForwardProbe.Credentials(key, new KnownHostsFile(Path.of("pins"), pins)));
    }

    @Test
    void tunnelsWithTheSameBastionLoginKeyAndPinsShareALoginWhateverTheirFilesAreCalled() {
        assertThat(key("bastion.example.com", "tunnel", KEY, PINS))
                .isEqualTo(key("BASTION.example.com:22", "tunnel", KEY, PINS));
    }

    @Test
    void anyDifferenceInWhatALoginProvesGivesALoginOfItsOwn() {
        SharedLogins.Key one = key("bastion.example.com", "tunnel", KEY, PINS);

        assertThat(key("bastion.example.com:2200", "tunnel", KEY, PINS)).as("port").isNotEqualTo(one);
        assertThat(key("other.example.com", "tunnel", KEY, PINS)).as("host").isNotEqualTo(one);
        assertThat(key("bastion.example.com", "alice", KEY, PINS)).as("login").isNotEqualTo(one);
        assertThat(key("bastion.example.com", "tunnel", generate(), PINS)).as("key").isNotEqualTo(one);
        assertThat(key("bastion.example.com", "tunnel", KEY, PINS + "# another\n")).as("pins").isNotEqualTo(one);
    }

    @Test
    void theFirstProbeLogsInAndEveryOtherGetsItsOutcome() throws Exception {
        SharedLogins logins = new SharedLogins();
        SharedLogins.Shared shared = logins.of(key("bastion.example.com", "tunnel", KEY, PINS));
        ProbeLogin.Login refused = ProbeLogin.Login.failed(new ProbeOutcome(Result.AUTH_REJECTED, "refused", Duration.ZERO));

        assertThat(shared.claim()).isTrue();
        assertThat(logins.of(key("bastion.example.com", "tunnel", KEY, PINS)).claim()).as("a second probe").isFalse();
        CompletableFuture<ProbeLogin.Login> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return shared.await();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(shared.logIn(new HandshakeSlots(1).slotFor(BASTION), () -> refused, () -> null)).isSameAs(refused);

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isSameAs(refused);
    }

    @Test
    void aLoginThatThrowsHandsTheWaitingProbesAnOutcomeAndLetsGoOfItsHandshake() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(1);
        HandshakeSlots.Slot slot = slots.slotFor(BASTION);
        assertThat(slot.acquire(Duration.ZERO)).isTrue();
        SharedLogins.Shared shared = new SharedLogins().of(key("bastion.example.com", "tunnel", KEY, PINS));
        ProbeLogin.Login gaveUp = ProbeLogin.Login.failed(new ProbeOutcome(Result.BASTION_UNREACHABLE, "no answer",
                Duration.ZERO));

        assertThatThrownBy(() -> shared.logIn(slot, () -> {
            throw new IllegalStateException("broken");
        }, () -> gaveUp)).hasMessage("broken");

        assertThat(shared.await()).isSameAs(gaveUp);
        assertThat(slots.slotFor(BASTION).acquire(Duration.ZERO)).as("the handshake, free again").isTrue();
    }
}
