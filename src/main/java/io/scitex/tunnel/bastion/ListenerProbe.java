package io.scitex.tunnel.bastion;

import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.ssh.SocketByteStream;
import io.scitex.tunnel.ssh.TargetEvidence;
import io.scitex.tunnel.ssh.TargetEvidence.Evidence;
import io.scitex.tunnel.ssh.TargetEvidence.Found;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The bastion's own evidence check of a forwarded port, by the host-side rules ({@link TargetEvidence}):
 * connect to it on the bastion, wait for the target's greeting (SSH, SMTP... speak first); a target that
 * waits to be spoken to gets an HTTP {@code HEAD}, and any reply counts. Silence is never an answer.
 */
public final class ListenerProbe implements PortProbe {
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
            SocketByteStream stream = new SocketByteStream(socket);
            Evidence greeting = TargetEvidence.gather(stream, ProbeKind.GREETING, greetingWait);
            if (greeting.found() != Found.SILENT) {
                return evidence(greeting, where, "");
            }
            Evidence reply = TargetEvidence.gather(stream, ProbeKind.HTTP, replyWait);
            if (reply.found() == Found.SILENT) {
                return new ListenerEvidence(ListenerEvidence.Outcome.SILENT, where + " accepted the connection"
                        + " but sent nothing in " + greetingWait.plus(replyWait).toMillis() + " ms, not even a reply to HEAD");
            }
            return evidence(reply, where, " to HEAD");
        } catch (ConnectException refused) {
            return new ListenerEvidence(ListenerEvidence.Outcome.REFUSED, where + " refuses connections");
        } catch (SocketTimeoutException timeout) {
            return new ListenerEvidence(ListenerEvidence.Outcome.SILENT, where + " did not accept in "
                    + greetingWait.toMillis() + " ms");
        } catch (IOException failed) {
            return new ListenerEvidence(ListenerEvidence.Outcome.CLOSED, where + ": " + failed.getMessage());
        }
    }

    private static ListenerEvidence evidence(Evidence found, String where, String how) {
        if (found.found() == Found.CLOSED) {
            return new ListenerEvidence(ListenerEvidence.Outcome.CLOSED, where + " closed the connection without"
                    + " a byte" + how + ": the host refused the forwarded connection or its target is down");
        }
        return new ListenerEvidence(ListenerEvidence.Outcome.ANSWERED, where + " answered" + how + ": " + found.firstLine());
    }
}
