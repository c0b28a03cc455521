package io.scitex.tunnel.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the demo tunnel reaches: a small TCP server on 127.0.0.1 that greets every connection with
 * {@link #BANNER} and then echoes what it receives, as a stand-in for this machine's sshd.
 */
public final class DemoTarget implements AutoCloseable {
    public static final String BANNER = "SSH-2.0-scitex-tunnel-demo-target";

    private final ServerSocket server;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private DemoTarget(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::accept, "demo-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static DemoTarget start() throws IOException {
        return new DemoTarget(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread handler = new Thread(() -> serve(socket), "demo-target-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write((BANNER + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            in.transferTo(out);
        } catch (IOException peerGone) {
            // the connection ended; nothing to clean up but the socket
        } finally {
            connections.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
