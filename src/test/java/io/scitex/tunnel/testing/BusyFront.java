package io.scitex.tunnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of an sshd that turns the first connections away as a busy sshd does
 * beyond its MaxStartups — {@code Exceeded MaxStartups}, then close — and relays the others.
 */
public final class BusyFront implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final AtomicInteger toTurnAway;
    private final AtomicInteger turnedAway = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private BusyFront(ServerSocket listener, int upstreamPort, int turnAway) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
        this.toTurnAway = new AtomicInteger(turnAway);
        Thread acceptor = new Thread(this::acceptLoop, "busy-front-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay from a free port to 127.0.0.1:{@code upstreamPort} that turns the first {@code turnAway} away. */
    public static BusyFront to(int upstreamPort, int turnAway) throws IOException {
        return new BusyFront(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), upstreamPort, turnAway);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections were turned away so far. */
    public int turnedAway() {
        return turnedAway.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (toTurnAway.getAndDecrement() > 0) {
                    try (client) {
                        client.getOutputStream().write("Exceeded MaxStartups\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    turnedAway.incrementAndGet();
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress("127.0.0.1", upstreamPort), 5000);
                sockets.add(client);
                sockets.add(upstream);
                relay(client, upstream);
                relay(upstream, client);
            } catch (IOException closed) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    private void relay(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException gone) {
                // one end went away
            } finally {
                close(from);
                close(to);
            }
        }, "busy-front-relay");
        pump.setDaemon(true);
        pump.start();
    }

    private void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.remove(socket);
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(this::close);
    }
}
