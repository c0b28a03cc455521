package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Against real loopback listeners: a greeting, an HTTP server, a silent holder, one that closes, none. */
class ListenerProbeTest {
    private final ListenerProbe probe = new ListenerProbe(Duration.ofMillis(300), Duration.ofMillis(300));

    /** Serves one connection with {@code behaviour}. */
    private interface Behaviour {
        void serve(Socket socket) throws Exception;
    }

    private static ServerSocket serve(Behaviour behaviour) throws Exception {
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        CompletableFuture.runAsync(() -> {
            try (Socket socket = server.accept()) {
                behaviour.serve(socket);
            } catch (Exception ignored) {
                // the test ended the server
            }
        });
        return server;
    }

    @Test
    void aGreetingIsAnAnswer() throws Exception {
        try (ServerSocket server = serve(s -> {
            s.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(1000);
        })) {
            ListenerEvidence evidence = probe.probe("127.0.0.1", server.getLocalPort());

            assertThat(evidence.outcome()).isEqualTo(ListenerEvidence.Outcome.ANSWERED);
            assertThat(evidence.detail()).isEqualTo("127.0.0.1:" + server.getLocalPort() + " answered: SSH-2.0-OpenSSH_9.2");
        }
    }

    @Test
    void aSilentTargetIsSpokenToWithHeadAndItsReplyIsAnAnswer() throws Exception {
        try (ServerSocket server = serve(s -> {
            InputStream in = s.getInputStream();
            byte[] request = new byte[64];
            int n = in.read(request);
            if (new String(request, 0, n, StandardCharsets.US_ASCII).startsWith("HEAD / HTTP/1.0\r\n")) {
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        })) {
            ListenerEvidence evidence = probe.probe("127.0.0.1", server.getLocalPort());

            assertThat(evidence.outcome()).isEqualTo(ListenerEvidence.Outcome.ANSWERED);
            assertThat(evidence.detail()).endsWith("answered to HEAD: HTTP/1.0 200 OK");
        }
    }

    @Test
    void silenceIsNeverAnAnswer() throws Exception {
        try (ServerSocket server = serve(s -> Thread.sleep(2000))) {
            ListenerEvidence evidence = probe.probe("127.0.0.1", server.getLocalPort());

            assertThat(evidence.outcome()).isEqualTo(ListenerEvidence.Outcome.SILENT);
            assertThat(evidence.answered()).isFalse();
            assertThat(evidence.detail()).contains("accepted the connection but sent nothing in 600 ms");
        }
    }

    @Test
    void aConnectionClosedWithoutAByteIsClosed() throws Exception {
        try (ServerSocket server = serve(s -> { })) {
            ListenerEvidence evidence = probe.probe("127.0.0.1", server.getLocalPort());

            assertThat(evidence.outcome()).isEqualTo(ListenerEvidence.Outcome.CLOSED);
        }
    }

    @Test
    void aPortNobodyListensOnIsRefused() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }

        assertThat(probe.probe("127.0.0.1", port).outcome()).isEqualTo(ListenerEvidence.Outcome.REFUSED);
    }

    @Test
    void controlCharactersInAGreetingAreShownEscaped() throws Exception {
        try (ServerSocket server = serve(s -> {
            s.getOutputStream().write("SSH-2.0-\u001b[2Jevil\r\n".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(1000);
        })) {
            assertThat(probe.probe("127.0.0.1", server.getLocalPort()).detail()).doesNotContain("\u001b")
                    .contains("SSH-2.0-");
        }
    }
}
