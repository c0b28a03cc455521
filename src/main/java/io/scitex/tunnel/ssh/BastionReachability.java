package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TunnelException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;

/** Whether a bastion's name resolves and its SSH port accepts TCP connections. */
public final class BastionReachability {
    private BastionReachability() {}

    /** Returns what was found; throws with what to do when the name does not resolve or the port is closed. */
    public static String check(BastionAddress bastion, Duration timeout) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bastion.host());
        } catch (UnknownHostException e) {
            throw new TunnelException("bastion " + bastion.host() + " does not resolve: check the name (and DNS),"
                    + " or use --no-check to set up offline");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, bastion.port()), (int) timeout.toMillis());
        } catch (IOException e) {
            throw new TunnelException("bastion " + bastion.host() + " (" + address.getHostAddress() + ") does not accept"
                    + " connections on port " + bastion.port() + ": " + e.getMessage()
                    + "; check the port and firewalls, or use --no-check to set up offline");
        }
        return bastion.host() + " (" + address.getHostAddress() + ") accepts connections on port " + bastion.port();
    }
}
