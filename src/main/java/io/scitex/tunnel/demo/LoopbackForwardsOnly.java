package io.scitex.tunnel.demo;

import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;

/**
 * The embedded bastion's forwarding rules, those of a bastion with sshd's default {@code GatewayPorts no}:
 * a client may ask it to listen on its loopback and nowhere else; it never opens connections for a client
 * (no {@code ssh -L}, no {@code -D}) and forwards neither agents nor X11.
 */
final class LoopbackForwardsOnly implements ForwardingFilter {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || IPV4_LOOPBACK.matcher(h).matches() || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return address != null && address.getPort() > 0 && isLoopback(address.getHostName());
    }

    @Override
    public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
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
