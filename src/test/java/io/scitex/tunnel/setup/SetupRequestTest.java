package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.ProbeKind;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SetupRequestTest {
    @Test
    void seedCallIsAnAutosshTunnelToLocalSshdCheckedBeforeAndAfterWithoutAcceptingNewKeys() {
        SetupRequest request = SetupRequest.of(2222, "user@bastion.example.com", "~/.ssh/id_rsa");

        assertThat(request).isEqualTo(new SetupRequest(2222, "user@bastion.example.com", "~/.ssh/id_rsa",
                Optional.empty(), false, Engine.AUTOSSH, Optional.empty(), true, Duration.ofSeconds(15), false, false, Optional.empty()));
    }

    @Test
    void builderSettersChangeOnlyTheirField() {
        SetupRequest request = SetupRequest.of(2222, "b", "k");

        assertThat(request.toBuilder().acceptNew(true).build()).isEqualTo(new SetupRequest(2222, "b", "k",
                Optional.empty(), true, Engine.AUTOSSH, Optional.empty(), true, Duration.ofSeconds(15), false, false, Optional.empty()));
        assertThat(request.toBuilder().target("[::1]:22").build()).isEqualTo(new SetupRequest(2222, "b", "k",
                Optional.of("[::1]:22"), false, Engine.AUTOSSH, Optional.empty(), true, Duration.ofSeconds(15), false, false, Optional.empty()));
        assertThat(request.toBuilder().engine(Engine.NATIVE).build().engine()).isEqualTo(Engine.NATIVE);
        assertThat(request.toBuilder().passphraseFile("/p").build().passphraseFile()).hasValue("/p");
        assertThat(request.toBuilder().networkChecks(false).build().networkChecks()).isFalse();
        assertThat(request.force()).as("a masked unit is left alone by default").isFalse();
        assertThat(request.toBuilder().probe(ProbeKind.HTTP).build().probe()).hasValue(ProbeKind.HTTP);
        assertThat(request.probe()).as("found out by setup unless given").isEmpty();
        assertThat(request.toBuilder().force(true).build()).isEqualTo(new SetupRequest(2222, "b", "k",
                Optional.empty(), false, Engine.AUTOSSH, Optional.empty(), true, Duration.ofSeconds(15), false, true, Optional.empty()));
        assertThat(request.toBuilder().verifyWithin(Duration.ofSeconds(3)).rollback(true).build())
                .extracting(SetupRequest::verifyWithin, SetupRequest::rollback).containsExactly(Duration.ofSeconds(3), true);
        assertThat(request.toBuilder().networkChecks(false).verifyWithin(Duration.ofSeconds(3)).rollback(true)
                .engine(Engine.NATIVE).build())
                .extracting(SetupRequest::networkChecks, SetupRequest::port, SetupRequest::bastion)
                .containsExactly(false, 2222, "b");
    }

    @Test
    void toBuilderKeepsEveryField() {
        SetupRequest request = SetupRequest.builder(2300, "u@h:2200").key("/k").target("127.0.0.1:8080")
                .acceptNew(true).engine(Engine.NATIVE).passphraseFile("/p").networkChecks(false)
                .verifyWithin(Duration.ofSeconds(7)).rollback(true).force(true).probe(ProbeKind.SILENT).build();

        assertThat(request.toBuilder().build()).isEqualTo(request);
    }

    @Test
    void requiresTargetOptional() {
        assertThatThrownBy(() -> new SetupRequest(2222, "b", "k", null, false, Engine.AUTOSSH, Optional.empty(), true,
                Duration.ofSeconds(15), false, false, Optional.empty())).isInstanceOf(NullPointerException.class);
    }
}
