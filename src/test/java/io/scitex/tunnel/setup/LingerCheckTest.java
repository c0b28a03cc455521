package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.Linger;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.testing.FakeRunner;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LingerCheckTest {
    @Test
    void aLingeringUserPassesWithoutChangingAnything() {
        FakeRunner runner = FakeRunner.succeeding("yes\n");

        assertThat(new LingerCheck(new Linger(runner)).ensure("pat")).startsWith("on: the tunnel keeps running after pat"
                + " logs out and starts at boot");
        assertThat(runner.commands()).hasSize(1);
    }

    @Test
    void lingerIsEnabledWhereLogindLetsTheUser() {
        AtomicBoolean enabled = new AtomicBoolean();
        FakeRunner runner = new FakeRunner(argv -> {
            if (argv.get(1).equals("enable-linger")) {
                enabled.set(true);
            }
            return new CommandResult(argv, 0, enabled.get() ? "yes\n" : "no\n", "");
        });

        assertThat(new LingerCheck(new Linger(runner)).ensure("pat")).startsWith("was off, enabled now (loginctl"
                + " enable-linger pat)");
        assertThat(runner.commands()).contains(List.of("loginctl", "enable-linger", "pat"));
    }

    @Test
    void aRefusalFailsTheStepWithTheAdministratorsCommandAndWhatHappensWithoutIt() {
        FakeRunner runner = new FakeRunner(argv -> argv.get(1).equals("enable-linger")
                ? new CommandResult(argv, 1, "", "Could not enable linger: Access denied\n")
                : new CommandResult(argv, 0, "no\n", ""));

        assertThatThrownBy(() -> new LingerCheck(new Linger(runner)).ensure("nolin"))
                .isInstanceOf(TunnelException.class)
                .hasMessage("linger is off for nolin and enabling it was refused (Could not enable linger: Access"
                        + " denied): ask an administrator to run `sudo loginctl enable-linger nolin`; without it the"
                        + " tunnel stops when nolin's last session ends and does not start at boot");
    }

    @Test
    void statusIsWarnedOnlyWithoutLinger() {
        assertThat(new LingerCheck(new Linger(FakeRunner.succeeding("yes\n"))).warning("pat")).isEmpty();
        assertThat(new LingerCheck(new Linger(FakeRunner.succeeding("no\n"))).warning("pat")).hasValueSatisfying(w ->
                assertThat(w).startsWith("linger is off for pat: these tunnels stop when pat's last session ends")
                        .contains("loginctl enable-linger pat"));
    }

    @Test
    void aRefusalQuotingControlCharactersIsEscaped() {
        FakeRunner runner = new FakeRunner(argv -> argv.get(1).equals("enable-linger")
                ? new CommandResult(argv, 1, "", "denied\u001b[2J\n") : new CommandResult(argv, 0, "no\n", ""));

        assertThatThrownBy(() -> new LingerCheck(new Linger(runner)).ensure("nolin")).hasMessageNotContaining("\u001b");
    }
}
