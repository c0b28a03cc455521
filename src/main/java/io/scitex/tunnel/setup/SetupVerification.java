package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.StartFailure;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.status.HealthCheck;
import io.scitex.tunnel.status.ServiceStates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Setup's last step: waits until the tunnel just started works end to end, and when it does not in time,
 * fails with the reason, leaving the unit in place or, if the request asks, removing it again. A service that
 * systemd says cannot start (its program missing, not executable, refused) fails it at once, with what systemd
 * said and the fix, rather than after the whole wait.
 */
public final class SetupVerification {
    private final ServiceStates states;
    private final HealthCheck checker;
    private final Clock clock;

    public SetupVerification(ServiceStates states, HealthCheck checker, Clock clock) {
        this.states = states;
        this.checker = checker;
        this.clock = clock;
    }

    /**
     * The started tunnel's state: checked end to end as the check "tunnel" of {@code preflight}, or, when
     * the request skips network checks, systemd's view alone.
     *
     * @param rollback what --rollback runs: puts back what the install replaced (setup's, which never races the
     *                 restore a signal makes)
     */
    TunnelStatus verify(Preflight preflight, TunnelSpec spec, SetupRequest request, Runnable rollback) {
        // The unit's restart has returned: an older process of it is gone, so the journal's lines from now on
        // are this start's. (Its very first failed exec may be logged a moment before; systemd restarts it
        // every few seconds, and the next one is caught.)
        Instant starting = clock.instant();
        // systemd's view right after the start; read in either case, so that a unit that cannot be read
        // back fails setup at once, before any wait.
        TunnelStatus started = states.of(spec.port());
        if (!request.networkChecks()) {
            preflight.skip("tunnel", "--no-check: not waited for the tunnel to work end to end");
            return started;
        }
        return preflight.check("tunnel", () -> awaitUp(spec, request, starting, rollback),
                up -> "localhost:" + spec.port() + " on the bastion reaches " + spec.target() + ": "
                        + up.health().detail());
    }

    /**
     * Waits until the started tunnel works end to end. If it does not within the request's bound, the
     * unit stays for {@code status} and {@code logs}, unless the request asks to roll back; so it does, at once,
     * when the journal says that this start failed.
     */
    private TunnelStatus awaitUp(TunnelSpec spec, SetupRequest request, Instant starting, Runnable rollback) {
        long deadline = System.nanoTime() + request.verifyWithin().toNanos();
        while (true) {
            TunnelStatus checked = checker.of(spec.port(), HealthCheck.DEFAULT_PROBE_TIMEOUT).status();
            if (checked.isUp()) {
                return checked;
            }
            Optional<StartFailure> cannotStart = checked.health().startFailureSince(starting);
            if (cannotStart.isPresent()) {
                throw new TunnelException("the tunnel's service cannot start: " + cannotStart.get().describe()
                        + afterFailure(spec, request, rollback));
            }
            if (System.nanoTime() >= deadline) {
                String why = checked.health().detail() + checked.health().lastError()
                        .filter(error -> !checked.health().detail().contains(error.message()))
                        .map(error -> " (journal: " + error.message() + ")").orElse("");
                throw new TunnelException("the tunnel did not come up within " + request.verifyWithin().toSeconds()
                        + " s: " + why + afterFailure(spec, request, rollback));
            }
            sleepQuietly(Duration.ofMillis(500));
        }
    }

    /** Rolls back if asked, and says what became of the unit. */
    private static String afterFailure(TunnelSpec spec, SetupRequest request, Runnable rollback) {
        if (request.rollback()) {
            rollback.run();
            return "; removed it again (--rollback)";
        }
        return "; the unit stays for `scitex-tunnel status` and `scitex-tunnel logs -p " + spec.port()
                + "` (--rollback removes it instead)";
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
