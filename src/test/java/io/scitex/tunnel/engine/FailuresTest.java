package io.scitex.tunnel.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TunnelSpec;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link Failures}: one line about what went wrong, in the words of the innermost cause. */
class FailuresTest {
    private static final TunnelSpec SPEC = TunnelSpec.builder().port(2222)
            .bastion(BastionAddress.parse("bastion.example.com")).key(Path.of("/home/alice/.ssh/id_ed25519"))
            .serviceUser("alice").build();

    @Test
    void aFailedConnectionIsToldInTheRootCausesWords() {
        assertThat(Failures.ofConnect(new IOException("wrapped", new ConnectException("Connection refused")), null,
                SPEC, Duration.ofSeconds(10))).isEqualTo("cannot connect to bastion.example.com: Connection refused");
        assertThat(Failures.ofConnect(new IOException("wrapped", new IOException("Authentication failed")), null,
                SPEC, Duration.ofSeconds(10))).isEqualTo("bastion bastion.example.com did not accept key"
                        + " /home/alice/.ssh/id_ed25519 for user alice (publickey)");
    }

    @Test
    void aLostSessionIsToldInTheRootCausesWordsOnOneLine() {
        assertThat(Failures.ofLoss(new IOException("wrapped", new IOException("first line\nsecond line")), null))
                .isEqualTo("the session to the bastion failed: first line");
        assertThat(Failures.ofLoss(new IOException("wrapped", new EOFException()), null))
                .isEqualTo("the bastion closed the connection");
    }

    @Test
    void aRootCauseWithABlankMessageIsNamedByItsClass() {
        assertThat(Failures.ofLoss(new IOException("wrapped", new IllegalStateException("  ")), null))
                .isEqualTo("the session to the bastion failed: IllegalStateException");
        assertThat(Failures.ofLoss(new IOException("wrapped", new IllegalStateException()), null))
                .isEqualTo("the session to the bastion failed: IllegalStateException");
    }

    @Test
    void aBastionThatDisconnectsIsQuotedOnOneLine() {
        assertThat(Failures.ofLoss(null, "bye\nmore")).isEqualTo("the bastion disconnected: bye");
        assertThat(Failures.ofLoss(null, " ")).isEqualTo("the bastion closed the connection");
        assertThat(Failures.oneLine("x".repeat(301))).isEqualTo("x".repeat(300) + "...");
    }

    @Test
    void onlyARefusedTcpConnectionCountsAsRefused() {
        assertThat(Failures.isRefusedConnection(new IOException("x", new ConnectException("Connection refused"))))
                .isTrue();
        assertThat(Failures.isRefusedConnection(new IOException("x", new ConnectException("timed out")))).isFalse();
        assertThat(Failures.isRefusedConnection(new IOException("Connection refused"))).isFalse();
    }

    @Test
    void whatTheBastionSaidIsShownWithControlCharactersEscaped() {
        assertThat(Failures.ofLoss(null, "go away\u001b[2J\u0007")).isEqualTo("the bastion disconnected: go away\\x1b[2J\\x07");
        assertThat(Failures.ofConnect(new IOException("wrapped", new IOException("go away\u001b]0;pwned\u0007")), null,
                SPEC, Duration.ofSeconds(10))).isEqualTo("connecting to bastion bastion.example.com failed: go away\\x1b]0;pwned\\x07");
    }
}
