package io.scitex.tunnel.setup;

import java.util.List;

/**
 * What an apply planned or did, tunnel by tunnel, in port order.
 *
 * @param check    whether it only planned (--check)
 * @param tunnels  every declared tunnel and every installed one
 */
public record ApplyResult(boolean check, List<AppliedTunnel> tunnels) {
    public ApplyResult {
        tunnels = List.copyOf(tunnels);
    }

    /**
     * Whether the machine was changed (with --check: would be): a tunnel created, replaced or removed, not
     * counting ones that failed and were put back.
     */
    public boolean changed() {
        return tunnels.stream().anyMatch(t -> t.action().changes() && t.result() != AppliedTunnel.Result.FAILED);
    }

    /** Whether every tunnel is as declared: nothing failed. */
    public boolean succeeded() {
        return tunnels.stream().noneMatch(t -> t.result() == AppliedTunnel.Result.FAILED);
    }
}
