package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.TargetAddress;

/** Finds out how a tunnel's target answers, by connecting to it on this machine, so that status probes it so. */
public interface TargetProtocol {
    /**
     * How to probe {@code target}, and what showed it.
     *
     * @param kind    the probe kind that fits
     * @param finding one line for people: what the target did
     */
    record Detected(ProbeKind kind, String finding) {}

    /** Connects to {@code target} here and says how it answers; never throws. */
    Detected detect(TargetAddress target);
}
