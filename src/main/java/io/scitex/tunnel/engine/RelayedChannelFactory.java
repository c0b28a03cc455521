package io.scitex.tunnel.engine;

import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;

/** The client's only channel type: connections the bastion forwards to us, counted into {@link Traffic}. */
final class RelayedChannelFactory extends TcpipServerChannel.TcpipFactory {
    private final Traffic traffic;

    RelayedChannelFactory(Traffic traffic) {
        super(TcpForwardingFilter.Type.Forwarded);
        this.traffic = traffic;
    }

    @Override
    public Channel createChannel(Session session) {
        return new RelayedConnection(traffic);
    }
}
