package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.status.HealthCheck;
import io.scitex.tunnel.status.ServiceStates;
import java.time.Duration;

/**
 * Setup's last step: waits until the tunnel just started works end to end, and when it does not in time,
 * fails with the reason, leaving the unit in place or, if the request asks, removing it again.
 */
public final class SetupVerification {
    private final ServiceStates states;
    private final HealthCheck checker;

    public SetupVerification(ServiceStates states, HealthCheck checker) {
        this.states = states;
        this.checker = checker;
    }

    /**
     * The started tunnel's state: checked end to end as the check "tunnel" of {@code preflight}, or, when
     * the request skips network checks, systemd's view alone.
     *
     * @param rollback what --rollback runs: puts back what the install replaced (setup's, which never races the
     *                 restore a signal makes)
     */
    TunnelStatus verify(Preflight preflight, TunnelSpec spec, SetupRequest request, Runnable rollback) {
        // systemd's view right after the start; read in either case, so that a unit that cannot be read
        // back fails setup at once, before any wait.
        TunnelStatus started = states.of(spec.port());
        if (!request.networkChecks()) {
            preflight.skip("tunnel", "--no-check: not waited for the tunnel to work end to end");
            return started;
        }
        return preflight.check("tunnel", () -> awaitUp(spec, request, rollback),
                up -> "localhost:" + spec.port() + " on the bastion reaches " + spec.target() + ": "
                        + up.health().detail());
    }

    /**
     * Waits until the started tunnel works end to end. If it does not within the request's bound, the
     * unit stays for {@code status} and {@code logs}, unless the request asks to roll back.
     */
    private TunnelStatus awaitUp(TunnelSpec spec, SetupRequest request, Runnable rollback) {
        long deadline = System.nanoTime() + request.verifyWithin().toNanos();
        while (true) {
            TunnelStatus checked = checker.of(spec.port(), HealthCheck.DEFAULT_PROBE_TIMEOUT).status();
            if (checked.isUp()) {
                return checked;
            }
            if (System.nanoTime() >= deadline) {
                String why = checked.health().detail() + checked.health().lastError()
                        .filter(error -> !checked.health().detail().contains(error.message()))
                        .map(error -> " (journal: " + error.message() + ")").orElse("");
                String after;
                if (request.rollback()) {
                    rollback.run();
                    after = "; removed it again (--rollback)";
                } else {
                    after = "; the unit stays for `scitex-tunnel status` and `scitex-tunnel logs -p " + spec.port()
                            + "` (--rollback removes it instead)";
                }
                throw new TunnelException("the tunnel did not come up within " + request.verifyWithin().toSeconds()
                        + " s: " + why + after);
            }
            sleepQuietly(Duration.ofMillis(500));
        }
    }

    private static void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TunnelException("interrupted while waiting for the tunnel to come up", e);
        }
    }
}
