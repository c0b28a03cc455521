package io.scitex.tunnel.model;

/** The port a tunnel listens on at the bastion; it also names the tunnel ({@code autossh-tunnel-PORT}). */
public final class TunnelPort {
    private TunnelPort() {}

    public static int check(int port) {
        return Checks.checkPort(port, "port");
    }

    public static int parse(String text) {
        return Checks.parsePort(text, "port");
    }
}
