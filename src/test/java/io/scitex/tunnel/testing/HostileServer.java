package io.scitex.tunnel.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server on 127.0.0.1 that is not what a client hopes for: it answers every connection with fixed bytes
 * (a greeting full of terminal escapes, an HTTP response, an SSH disconnect with a hostile reason) and then
 * keeps the connection open, reading and ignoring what comes, until the client closes it.
 */
public final class HostileServer implements AutoCloseable {
    /** An SSH greeting that clears the screen and rings the bell, then bytes that are no SSH packet. */
    public static final String EVIL_GREETING = "SSH-2.0-evil\u001b[2J\u0007";
    public static final String HTTP_STATUS = "HTTP/1.1 400 Bad Request";

    private final ServerSocket server;
    private final byte[] answer;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private HostileServer(ServerSocket server, byte[] answer) {
        this.server = server;
        this.answer = answer;
        Thread acceptor = new Thread(this::acceptLoop, "hostile-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers with {@code answer}, as given. */
    public static HostileServer answering(byte[] answer) throws IOException {
        return new HostileServer(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")), answer.clone());
    }

    /** {@link #EVIL_GREETING}, then text with more escapes where the key exchange should begin. */
    public static HostileServer evilGreeting() throws IOException {
        return answering((EVIL_GREETING + "\r\n\u001b]0;pwned\u0007 this is not an SSH packet at all\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** An HTTP server's answer to anything. */
    public static HostileServer http() throws IOException {
        return answering((HTTP_STATUS + "\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nno\u001b[5m\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A plausible greeting, then an SSH_MSG_DISCONNECT whose reason is {@code reason}. */
    public static HostileServer disconnecting(String reason) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(disconnectPacket(reason));
        return answering(bytes.toByteArray());
    }

    /** An unencrypted SSH_MSG_DISCONNECT packet (RFC 4253 6, 11.1), as a server may send before key exchange. */
    static byte[] disconnectPacket(String reason) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(payload);
            byte[] text = reason.getBytes(StandardCharsets.UTF_8);
            out.writeByte(1); // SSH_MSG_DISCONNECT
            out.writeInt(2); // SSH_DISCONNECT_PROTOCOL_ERROR
            out.writeInt(text.length);
            out.write(text);
            out.writeInt(0); // language tag
            int padding = 8 - (payload.size() + 5) % 8;
            padding += padding < 4 ? 8 : 0;
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            DataOutputStream framed = new DataOutputStream(packet);
            framed.writeInt(1 + payload.size() + padding);
            framed.writeByte(padding);
            framed.write(payload.toByteArray());
            framed.write(new byte[padding]);
            return packet.toByteArray();
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread handler = new Thread(() -> serve(socket), "hostile-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.getOutputStream().write(answer);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] ignored = new byte[8192];
            while (in.read(ignored) >= 0) {
                // whatever the client says changes nothing
            }
        } catch (IOException gone) {
            // the client went away
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
