package io.scitex.tunnel.engine;

/**
 * Told about every change of a native tunnel's phase or error, in order, on the tunnel's own thread: it
 * must return quickly and must not call back into the tunnel's {@link NativeTunnel#close()}.
 */
@FunctionalInterface
public interface TunnelListener {
    TunnelListener NONE = state -> { };

    void stateChanged(EngineState state);
}
