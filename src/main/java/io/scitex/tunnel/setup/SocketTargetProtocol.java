package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.RootCause;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.ssh.SocketByteStream;
import io.scitex.tunnel.ssh.TargetEvidence;
import io.scitex.tunnel.ssh.TargetEvidence.Evidence;
import io.scitex.tunnel.ssh.TargetEvidence.Found;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * {@link TargetProtocol} over TCP from this machine, where the tunnel connects from: a target that sends a line
 * first greets; one that answers a HTTP {@code HEAD} is probed with one; one that does neither is silent. A
 * target that cannot be reached now is probed as one that greets (as before probe kinds), and setup says so.
 */
public final class SocketTargetProtocol implements TargetProtocol {
    /** How long each look may take: the connection, and the wait for an answer. */
    static final Duration LOOK = Duration.ofSeconds(1);

    @Override
    public Detected detect(TargetAddress target) {
        try {
            Evidence greeting = look(target, ProbeKind.GREETING);
            if (greeting.found() != Found.SILENT) {
                return new Detected(ProbeKind.GREETING, greeting.found() == Found.ANSWERED
                        ? target + " greets: " + greeting.describe() + " (probed by its greeting)"
                        : target + " closed the connection at once (probed as a target that greets)");
            }
            Evidence head = look(target, ProbeKind.HTTP);
            if (head.found() == Found.ANSWERED) {
                return new Detected(ProbeKind.HTTP, target + " waits for the client and " + head.describe()
                        + " (probed with a HTTP HEAD)");
            }
            return new Detected(ProbeKind.SILENT, target + " waits for the client and did not answer a HTTP HEAD:"
                    + " a silent target, of which only the native engine can show that a connection reached it");
        } catch (ConnectException refused) {
            return notNow(target, "refuses connections here");
        } catch (IOException e) {
            return notNow(target, "cannot be reached here (" + Printable.escape(RootCause.messageOrOuter(e)) + ")");
        }
    }

    private static Detected notNow(TargetAddress target, String why) {
        return new Detected(ProbeKind.GREETING, target + " " + why + ": probed as a target that greets (sshd); if it"
                + " is a web server, run setup again with --probe http once it runs");
    }

    private static Evidence look(TargetAddress target, ProbeKind kind) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) LOOK.toMillis());
            return TargetEvidence.gather(new SocketByteStream(socket), kind, LOOK);
        }
    }
}
