package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.Engine;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SetupRequestTest {
    @Test
    void seedCallIsAnAutosshTunnelToLocalSshdCheckedBeforeAndAfterWithoutAcceptingNewKeys() {
        SetupRequest request = SetupRequest.of(2222, "user@bastion.example.com", "~/.ssh/id_rsa");

        assertThat(request).isEqualTo(new SetupRequest(2222, "user@bastion.example.com", "~/.ssh/id_rsa",
                Optional.empty(), false, Engine.AUTOSSH, Optional.empty(), true, Duration.ofSeconds(15), false));
    }

    @Test
    void withersChangeOnlyTheirField() {
        SetupRequest request = SetupRequest.of(2222, "b", "k");

        assertThat(request.withAcceptNew(true)).isEqualTo(new SetupRequest(2222, "b", "k", Optional.empty(), true));
        assertThat(request.withTarget("[::1]:22"))
                .isEqualTo(new SetupRequest(2222, "b", "k", Optional.of("[::1]:22"), false));
        assertThat(request.withEngine(Engine.NATIVE).engine()).isEqualTo(Engine.NATIVE);
        assertThat(request.withPassphraseFile("/p").passphraseFile()).hasValue("/p");
        assertThat(request.withNetworkChecks(false).networkChecks()).isFalse();
        assertThat(request.withVerification(Duration.ofSeconds(3), true))
                .extracting(SetupRequest::verifyWithin, SetupRequest::rollback).containsExactly(Duration.ofSeconds(3), true);
        assertThat(request.withNetworkChecks(false).withVerification(Duration.ofSeconds(3), true).withEngine(Engine.NATIVE))
                .extracting(SetupRequest::networkChecks, SetupRequest::port, SetupRequest::bastion)
                .containsExactly(false, 2222, "b");
    }

    @Test
    void requiresTargetOptional() {
        assertThatThrownBy(() -> new SetupRequest(2222, "b", "k", null, false)).isInstanceOf(NullPointerException.class);
    }
}
