package io.scitex.tunnel.ssh;

import java.io.IOException;

/** A logged-in session to a bastion, opened to ask it something before a tunnel is installed. */
public interface BastionConnection extends AutoCloseable {
    /** Whether the bastion lets this session listen on {@code port} of its loopback (then stops listening). */
    boolean canListenOn(int port) throws IOException;

    @Override
    void close();
}
