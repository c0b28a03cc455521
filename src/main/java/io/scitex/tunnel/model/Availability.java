package io.scitex.tunnel.model;

import java.util.List;

/** Whether this machine can run tunnels, and if not, what is missing. */
public record Availability(List<Prerequisite> missing) {
    public Availability {
        missing = List.copyOf(missing);
    }

    public boolean isAvailable() {
        return missing.isEmpty();
    }
}
