package io.scitex.tunnel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the tunnel's target (normally the machine's own sshd): listens on 127.0.0.1 at a free port,
 * greets every connection with {@link #BANNER} (or a banner of the test's) and then echoes what it receives.
 */
public final class BannerServer implements AutoCloseable {
    public static final String BANNER = "SSH-2.0-scitex-test-target";

    private final ServerSocket server;
    private final String banner;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();

    private BannerServer(ServerSocket server, String banner) {
        this.server = server;
        this.banner = banner;
        Thread acceptor = new Thread(this::acceptLoop, "banner-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static BannerServer start() throws IOException {
        return start(BANNER);
    }

    /** A server that greets with {@code banner} (sent as ISO-8859-1, then CR LF) instead of {@link #BANNER}. */
    public static BannerServer start(String banner) throws IOException {
        return new BannerServer(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), banner);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many connections reached this server so far. */
    public int accepted() {
        return accepted.get();
    }

    /**
     * Connects to 127.0.0.1:{@code port} (the target itself, or a forward that should end there), reads the
     * first line and checks that a random line comes back echoed. Returns the first line; throws if the
     * connection fails, closes, or does not echo.
     */
    public static String probe(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(3000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first == null) {
                throw new IOException("127.0.0.1:" + port + " closed the connection without a line");
            }
            String token = UUID.randomUUID().toString();
            socket.getOutputStream().write((token + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String echoed = in.readLine();
            if (!token.equals(echoed)) {
                throw new IOException("127.0.0.1:" + port + " greeted with '" + first + "' but echoed '" + echoed
                        + "' instead of '" + token + "'");
            }
            return first;
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                connections.add(socket);
                Thread handler = new Thread(() -> serve(socket), "banner-connection");
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
            out.write((banner + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // the peer went away
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
