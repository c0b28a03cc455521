package io.scitex.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SetupRequestTest {
    @Test
    void seedCallTargetsLocalSshdWithoutAcceptingNewKeys() {
        SetupRequest request = SetupRequest.of(2222, "user@bastion.example.com", "~/.ssh/id_rsa");

        assertThat(request).isEqualTo(new SetupRequest(2222, "user@bastion.example.com", "~/.ssh/id_rsa",
                Optional.empty(), false, true));
    }

    @Test
    void withersChangeOnlyTheirField() {
        SetupRequest request = SetupRequest.of(2222, "b", "k");

        assertThat(request.withAcceptNew(true)).isEqualTo(new SetupRequest(2222, "b", "k", Optional.empty(), true, true));
        assertThat(request.withTarget("[::1]:22"))
                .isEqualTo(new SetupRequest(2222, "b", "k", Optional.of("[::1]:22"), false, true));
    }

    @Test
    void requiresTargetOptional() {
        assertThatThrownBy(() -> new SetupRequest(2222, "b", "k", null, false, true)).isInstanceOf(NullPointerException.class);
    }
}
