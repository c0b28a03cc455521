package io.scitex.tunnel.setup;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What apply planned for one tunnel and how it ended.
 *
 * @param detail   why the action (for a plan) or what happened, in one line
 * @param bastion  the declared (or, for unlisted tunnels, installed) bastion, if known
 * @param target   likewise the target
 */
public record AppliedTunnel(int port, ApplyAction action, Result result, String detail, Optional<String> bastion,
                            Optional<String> target) {
    /** How the action ended. */
    public enum Result {
        /** --check: only planned. */
        PLANNED,
        /** Done (or nothing was to be done), and the tunnel is as declared. */
        OK,
        /** It failed: the tunnel is as it was before apply, or, when it did not come up, left for status and logs. */
        FAILED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AppliedTunnel {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
    }

    AppliedTunnel ended(Result newResult, String newDetail) {
        return new AppliedTunnel(port, action, newResult, newDetail, bastion, target);
    }
}
