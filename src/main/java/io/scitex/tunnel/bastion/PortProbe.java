package io.scitex.tunnel.bastion;

/** Checks whether a connection to a port on this machine reaches a target now. */
@FunctionalInterface
public interface PortProbe {
    ListenerEvidence probe(String address, int port);
}
