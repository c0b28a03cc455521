package io.scitex.tunnel.bastion;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /proc/net/tcp} or {@code /proc/net/tcp6}: the kernel's view of a TCP socket.
 *
 * @param sendQueue   bytes sent but not yet acknowledged by the peer ({@code tx_queue})
 * @param retransmits retransmission timeouts that fired without an acknowledgement since the last one
 */
public record TcpSocket(String localAddress, int localPort, String remoteAddress, int remotePort, int state,
                        long sendQueue, int retransmits, int uid, long inode) {
    /** The kernel's TCP_LISTEN. */
    public static final int LISTEN = 0x0A;
    /** The kernel's TCP_ESTABLISHED. */
    public static final int ESTABLISHED = 0x01;

    public boolean isListening() {
        return state == LISTEN;
    }

    public boolean isEstablished() {
        return state == ESTABLISHED;
    }

    /**
     * Whether the peer stopped acknowledging: data waits unacknowledged and its retransmissions went unanswered,
     * what a session whose client vanished without FIN or RST looks like once sshd sends it anything.
     */
    public boolean isStalled() {
        return sendQueue > 0 && retransmits > 0;
    }

    /** {@code address:port}, IPv6 addresses in brackets. */
    public String remote() {
        return endpoint(remoteAddress, remotePort);
    }

    static String endpoint(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** Parses the whole file (its header line first); lines that are not socket lines are skipped. */
    public static List<TcpSocket> parseTable(String text) {
        List<TcpSocket> sockets = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":") || !f[1].contains(":")) {
                continue;
            }
            try {
                String[] local = f[1].split(":");
                String[] remote = f[2].split(":");
                String[] queues = f[4].split(":");
                sockets.add(new TcpSocket(address(local[0]), Integer.parseInt(local[1], 16), address(remote[0]),
                        Integer.parseInt(remote[1], 16), Integer.parseInt(f[3], 16), Long.parseLong(queues[0], 16),
                        Integer.parseInt(f[6], 16), Integer.parseInt(f[7]), Long.parseLong(f[9])));
            } catch (RuntimeException malformed) {
                // a line of another layout: not ours to guess at
            }
        }
        return sockets;
    }

    /** The kernel prints addresses as 32-bit words in host (little-endian) byte order, in hex. */
    static String address(String hex) {
        if (hex.length() == 8) {
            long word = Long.parseLong(hex, 16);
            return (word & 0xff) + "." + (word >> 8 & 0xff) + "." + (word >> 16 & 0xff) + "." + (word >> 24 & 0xff);
        }
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not an address: " + hex);
        }
        byte[] bytes = new byte[16];
        for (int w = 0; w < 4; w++) {
            long word = Long.parseLong(hex.substring(w * 8, w * 8 + 8), 16);
            for (int b = 0; b < 4; b++) {
                bytes[w * 4 + b] = (byte) (word >> (8 * b));
            }
        }
        try {
            String text = java.net.InetAddress.getByAddress(bytes).getHostAddress();
            return text.replaceFirst("(^|:)0(:0)+(:|$)", "::"); // the first run of zero words, as ss prints it
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalArgumentException(impossible);
        }
    }
}
