package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.Linger;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.util.Optional;

/**
 * Setup's linger step for a user's own tunnel: a user service runs only while its user's manager does, which
 * without linger is from their first login to their last logout. Lingering already passes; otherwise setup
 * asks logind to enable it (polkit may let users do that for themselves) and, if refused, fails with the
 * administrator's command and what the tunnel would do without it.
 */
public final class LingerCheck {
    private final Linger linger;

    public LingerCheck(Linger linger) {
        this.linger = linger;
    }

    /** What the step found; throws, saying what to ask for, when {@code user} does not linger and may not. */
    public String ensure(String user) {
        try {
            if (linger.isOn(user)) {
                return "on: the tunnel keeps running after " + user + " logs out and starts at boot";
            }
            CommandResult enabled = linger.enable(user);
            if (enabled.succeeded() && linger.isOn(user)) {
                return "was off, enabled now (" + Linger.adminCommand(user) + "): the tunnel keeps running after "
                        + user + " logs out and starts at boot";
            }
            throw refused(user, enabled.succeeded() ? "logind still says Linger=no"
                    : Printable.escape(enabled.firstErrorLine()));
        } catch (IOException e) {
            throw refused(user, Printable.escape(String.valueOf(e.getMessage())));
        }
    }

    /**
     * For status and doctor: what happens to {@code user}'s tunnels because they do not linger, if they do not.
     * Nothing is changed.
     */
    public Optional<String> warning(String user) {
        try {
            if (linger.isOn(user)) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.of("cannot ask logind whether " + user + " lingers: " + Printable.escape(e.getMessage()));
        }
        return Optional.of("linger is off for " + user + ": these tunnels stop when " + user + "'s last session ends"
                + " and do not start at boot; enable it with `" + Linger.adminCommand(user) + "` (or ask an"
                + " administrator to run `sudo " + Linger.adminCommand(user) + "`)");
    }

    static TunnelException refused(String user, String why) {
        return new TunnelException("linger is off for " + user + " and enabling it was refused (" + why + "): ask an"
                + " administrator to run `sudo " + Linger.adminCommand(user) + "`; without it the tunnel stops when "
                + user + "'s last session ends and does not start at boot");
    }
}
