package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.TargetAddress;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * The client's forwarding filter: a connection the bastion forwards may go to the tunnel's target and
 * nowhere else; the client itself never listens and offers no agent or X11 forwarding.
 */
final class OnlyOurForward implements ForwardingFilter {
    private final TargetAddress target;

    OnlyOurForward(TargetAddress target) {
        this.target = target;
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
        // MINA hands us the local address we registered for the remote port the connection arrived on;
        // a port we never asked for has none (null).
        return type == Type.Forwarded && address != null && address.getPort() == target.port()
                && address.getHostName().equalsIgnoreCase(target.host());
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return false;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }
}
