package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.TargetAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real loopback servers of each kind, in this process. */
class SocketTargetProtocolTest {
    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Socket> held = new ArrayList<>();
    private final SocketTargetProtocol protocol = new SocketTargetProtocol();

    @AfterEach
    void stop() throws IOException {
        for (ServerSocket server : servers) {
            server.close();
        }
        for (Socket socket : held) {
            socket.close();
        }
    }

    /** A loopback server that hands each connection to {@code talk}, on a thread of its own. */
    private TargetAddress server(BiConsumer<InputStream, OutputStream> talk) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        servers.add(server);
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    synchronized (held) {
                        held.add(socket);
                    }
                    talk.accept(socket.getInputStream(), socket.getOutputStream());
                } catch (IOException closed) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return new TargetAddress("127.0.0.1", server.getLocalPort());
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static String requestLine(InputStream in) {
        StringBuilder line = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
        } catch (IOException ignored) {
            // the client went away
        }
        return line.toString().strip();
    }

    @Test
    void aTargetThatSpeaksFirstGreets() throws IOException {
        TargetAddress sshd = server((in, out) -> write(out, "SSH-2.0-OpenSSH_9.2\r\n"));

        TargetProtocol.Detected detected = protocol.detect(sshd);

        assertThat(detected.kind()).isEqualTo(ProbeKind.GREETING);
        assertThat(detected.finding()).isEqualTo(sshd + " greets: SSH-2.0-OpenSSH_9.2 (probed by its greeting)");
    }

    @Test
    void aTargetThatAnswersAHeadIsProbedWithOne() throws IOException {
        TargetAddress web = server((in, out) -> {
            if (requestLine(in).equals("HEAD / HTTP/1.0")) {
                write(out, "HTTP/1.0 200 OK\r\nServer: test\r\n\r\n");
            }
        });

        TargetProtocol.Detected detected = protocol.detect(web);

        assertThat(detected.kind()).isEqualTo(ProbeKind.HTTP);
        assertThat(detected.finding()).isEqualTo(web + " waits for the client and HTTP HEAD answered: HTTP/1.0 200 OK"
                + " (probed with a HTTP HEAD)");
    }

    @Test
    void aTargetThatNeverSaysAnythingIsSilent() throws IOException {
        TargetAddress silent = server((in, out) -> { });

        TargetProtocol.Detected detected = protocol.detect(silent);

        assertThat(detected.kind()).isEqualTo(ProbeKind.SILENT);
        assertThat(detected.finding()).contains("a silent target", "native engine");
    }

    @Test
    void aTargetThatIsNotRunningIsProbedAsBeforeAndSetupSaysHowToChange() throws IOException {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }

        TargetProtocol.Detected detected = protocol.detect(new TargetAddress("127.0.0.1", free));

        assertThat(detected.kind()).isEqualTo(ProbeKind.GREETING);
        assertThat(detected.finding()).contains("refuses connections here", "--probe http");
    }
}
