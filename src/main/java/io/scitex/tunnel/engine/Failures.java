package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.RootCause;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.ssh.StrictSshClient;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.session.Session;

/**
 * Turns what MINA throws into one line that says what went wrong with the tunnel, for logs and the state file;
 * what the bastion said in it (a disconnect reason, say) has its control characters escaped.
 */
final class Failures {
    private Failures() {}

    /** Why opening a session to the bastion failed. */
    static String ofConnect(Throwable failure, Session session, TunnelSpec spec, Duration timeout) {
        String bastion = spec.bastion().toString();
        if (session != null) {
            var refusal = StrictSshClient.hostKeyRefusal(session);
            if (refusal.isPresent()) {
                return "refused bastion " + bastion + ": " + refusal.get();
            }
        }
        Throwable root = RootCause.of(failure);
        String message = text(root).toLowerCase(Locale.ROOT);
        if (root instanceof ConnectException) {
            return "cannot connect to " + bastion + ": " + text(root);
        }
        if (root instanceof UnknownHostException) {
            return "cannot resolve bastion host " + spec.bastion().host();
        }
        if (root instanceof NoRouteToHostException) {
            return "no route to bastion " + bastion;
        }
        if (isTimeout(root) || message.contains("timeout")) {
            return "no answer from bastion " + bastion + " within " + timeout.toSeconds() + " s";
        }
        if (message.contains("authentication")) {
            return "bastion " + bastion + " did not accept key " + spec.key() + " for user "
                    + spec.login() + " (publickey)";
        }
        return "connecting to bastion " + bastion + " failed: " + text(root);
    }

    /** Whether the bastion's host answered the connection with a refusal: up, but no sshd listening. */
    static boolean isRefusedConnection(Throwable failure) {
        Throwable root = RootCause.of(failure);
        return root instanceof ConnectException && text(root).toLowerCase(Locale.ROOT).contains("refused");
    }

    /** Why an established session ended. */
    static String ofLoss(Throwable failure, String disconnectMessage) {
        if (failure == null) {
            return disconnectMessage != null && !disconnectMessage.isBlank()
                    ? "the bastion disconnected: " + oneLine(disconnectMessage)
                    : "the bastion closed the connection";
        }
        Throwable root = RootCause.of(failure);
        String message = text(root);
        if (message.contains("heartbeat")) {
            return "the bastion stopped answering keepalives (" + message + "): the link is down";
        }
        if (root instanceof EOFException) {
            return "the bastion closed the connection";
        }
        return "the session to the bastion failed: " + message;
    }

    /** The first line of {@code text} (what the bastion or MINA said), cut short, with control characters escaped. */
    static String oneLine(String text) {
        String line = text.strip().lines().findFirst().orElse("");
        return Printable.escape(line.length() > 300 ? line.substring(0, 300) + "..." : line);
    }

    /** The root cause's words on one line; a blank message says no more than none, so the class name stands in. */
    private static String text(Throwable root) {
        String message = RootCause.message(root);
        return message.isBlank() ? root.getClass().getSimpleName() : oneLine(message);
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof SocketTimeoutException || t instanceof TimeoutException
                || t instanceof InterruptedByTimeoutException;
    }
}
