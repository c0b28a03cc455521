package io.scitex.tunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The tunnels' target in the benchmarks, on 127.0.0.1: greets each connection with {@link #BANNER}, then does
 * what the first byte asks: {@link #DISCARD} reads to the end and answers the byte count (8 bytes, big-endian);
 * {@link #SOURCE} reads a count and sends that many bytes; {@link #ECHO} sends back what it reads.
 */
final class BenchTarget implements AutoCloseable {
    static final byte[] BANNER = "SCITEX-BENCH\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte DISCARD = 'D';
    static final byte SOURCE = 'S';
    static final byte ECHO = 'E';
    static final int BUFFER = 64 * 1024;

    private final ServerSocket server;

    private BenchTarget(ServerSocket server) {
        this.server = server;
        daemon("bench-target", this::acceptLoop).start();
    }

    static BenchTarget start() throws IOException {
        return new BenchTarget(new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1")));
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                daemon("bench-target-connection", () -> serve(socket)).start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(BANNER);
            out.flush();
            int command = in.read();
            byte[] buffer = new byte[BUFFER];
            switch (command) {
                case DISCARD -> out.write(ByteBuffer.allocate(8).putLong(in.transferTo(OutputStream.nullOutputStream())).array());
                case SOURCE -> {
                    long left = ByteBuffer.wrap(in.readNBytes(8)).getLong();
                    Payload.fill(buffer);
                    for (; left > 0; left -= buffer.length) {
                        out.write(buffer, 0, (int) Math.min(buffer.length, left));
                    }
                    out.flush();
                    in.read(); // until the client has it all and closes
                }
                case ECHO -> {
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                    }
                }
                default -> { } // a probe that only wanted the banner
            }
        } catch (IOException clientGone) {
            // a recovery probe or an aborted measurement: nothing to serve any more
        }
    }

    static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
