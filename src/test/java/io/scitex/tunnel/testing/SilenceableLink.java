package io.scitex.tunnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on 127.0.0.1 in front of a server (the bastion), that can go silent the way a network path
 * does when a router starts dropping packets: while {@link #silence() silenced} it delivers nothing in either
 * direction and closes nothing — no FIN, no RST — so neither end learns anything except from its own
 * timeouts. {@link #restore()} lets everything held back through again, late, as TCP would deliver it once
 * the path is back. New connections are accepted while silenced (TCP handshakes are not what we test) and
 * stall like the rest.
 */
public final class SilenceableLink implements AutoCloseable {
    private final ServerSocket listener;
    private final int upstreamPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean silenced;

    private SilenceableLink(ServerSocket listener, int upstreamPort) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
        Thread acceptor = new Thread(this::acceptLoop, "silenceable-link-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A link from a free port on 127.0.0.1 to 127.0.0.1:{@code upstreamPort}. */
    public static SilenceableLink to(int upstreamPort) throws IOException {
        return new SilenceableLink(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), upstreamPort);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing gets through, and nothing is closed. */
    public void silence() {
        synchronized (gate) {
            silenced = true;
        }
    }

    /** The path is back: what was held back is delivered, and traffic flows again. */
    public void restore() {
        synchronized (gate) {
            silenced = false;
            gate.notifyAll();
        }
    }

    private void awaitOpenPath() throws InterruptedException {
        synchronized (gate) {
            while (silenced) {
                gate.wait();
            }
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket downstream = listener.accept();
                sockets.add(downstream);
                Thread connector = new Thread(() -> connect(downstream), "silenceable-link-connect");
                connector.setDaemon(true);
                connector.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void connect(Socket downstream) {
        try {
            Socket upstream = new Socket();
            sockets.add(upstream);
            upstream.connect(new InetSocketAddress("127.0.0.1", upstreamPort), 5000);
            relay(downstream, upstream);
            relay(upstream, downstream);
        } catch (IOException e) {
            closeQuietly(downstream);
        }
    }

    private void relay(Socket from, Socket to) {
        Thread relay = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    awaitOpenPath();
                    int n = in.read(buffer);
                    awaitOpenPath(); // read just before the path went silent: hold it back too
                    if (n < 0) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "silenceable-link-relay");
        relay.setDaemon(true);
        relay.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all that was left to do
        }
    }

    @Override
    public void close() throws IOException {
        restore();
        listener.close();
        sockets.forEach(SilenceableLink::closeQuietly);
    }
}
