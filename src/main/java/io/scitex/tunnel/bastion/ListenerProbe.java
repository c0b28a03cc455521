package io.scitex.tunnel.bastion;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The bastion's own evidence check of a forwarded port: connect to it on the bastion, wait for the target's
 * greeting (SSH, SMTP... speak first); a target that waits to be spoken to gets an HTTP {@code HEAD}, and
 * any reply counts. Silence is never an answer.
 */
public final class ListenerProbe implements PortProbe {
    private static final byte[] HEAD = "HEAD / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FIRST_LINE = 120;
    private final Duration greetingWait;
    private final Duration replyWait;

    /** @param greetingWait how long a target may take to speak first; {@code replyWait}, to answer HEAD */
    public ListenerProbe(Duration greetingWait, Duration replyWait) {
        this.greetingWait = greetingWait;
        this.replyWait = replyWait;
    }

    @Override
    public ListenerEvidence probe(String address, int port) {
        String where = TcpSocket.endpoint(address, port);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) greetingWait.toMillis());
            socket.setSoTimeout((int) greetingWait.toMillis());
            InputStream in = socket.getInputStream();
            try {
                return answer(in, where, "");
            } catch (SocketTimeoutException silent) {
                socket.getOutputStream().write(HEAD);
                socket.getOutputStream().flush();
                socket.setSoTimeout((int) replyWait.toMillis());
                try {
                    return answer(in, where, " to HEAD");
                } catch (SocketTimeoutException stillSilent) {
                    return new ListenerEvidence(ListenerEvidence.Outcome.SILENT, where + " accepted the connection"
                            + " but sent nothing in " + greetingWait.plus(replyWait).toMillis() + " ms, not even a reply to HEAD");
                }
            }
        } catch (ConnectException refused) {
            return new ListenerEvidence(ListenerEvidence.Outcome.REFUSED, where + " refuses connections");
        } catch (SocketTimeoutException timeout) {
            return new ListenerEvidence(ListenerEvidence.Outcome.SILENT, where + " did not accept in "
                    + greetingWait.toMillis() + " ms");
        } catch (IOException failed) {
            return new ListenerEvidence(ListenerEvidence.Outcome.CLOSED, where + ": " + failed.getMessage());
        }
    }

    private static ListenerEvidence answer(InputStream in, String where, String how) throws IOException {
        byte[] buffer = new byte[FIRST_LINE];
        int n = in.read(buffer);
        if (n < 0) {
            return new ListenerEvidence(ListenerEvidence.Outcome.CLOSED, where + " closed the connection without"
                    + " a byte" + how + ": the host refused the forwarded connection or its target is down");
        }
        String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String first = (end < 0 ? text : text.substring(0, end)).strip();
        return new ListenerEvidence(ListenerEvidence.Outcome.ANSWERED, where + " answered" + how + ": " + first);
    }
}
