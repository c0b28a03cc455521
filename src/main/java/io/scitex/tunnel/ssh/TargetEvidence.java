package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Given a connected byte stream that should lead to a target, and how that target is probed, finds the
 * evidence that it does: a target that greets is read; an HTTP target is sent a {@code HEAD} request and any
 * answer counts; a silent target is given a moment to close. Silence is never evidence: a bastion that still
 * holds a dead session's port accepts connections and then says nothing, as a silent target does. Knows
 * nothing of SSH: the probe hands it a tunnelled channel, setup a socket to the target itself.
 */
public final class TargetEvidence {
    /** What is sent to an HTTP target: the smallest request every HTTP server answers with a status line. */
    static final byte[] HEAD_REQUEST = ("HEAD / HTTP/1.0\r\nHost: localhost\r\nUser-Agent: scitex-tunnel-probe\r\n"
            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    /** The first line of an answer is enough; longer ones are cut. */
    private static final int MAX_FIRST_LINE = 256;
    private static final int SHOWN = 80;
    /** How long a silent target is given to close the connection (a refusal at the far end comes within it). */
    static final Duration SILENT_WAIT = Duration.ofSeconds(1);

    private TargetEvidence() {}

    /** A connected stream of bytes: a channel through a tunnel, or a socket. */
    public interface ByteStream {
        void send(byte[] bytes) throws IOException;

        /** Reads into {@code buffer}: the bytes read, -1 at the end of the stream, 0 if none came within {@code wait}. */
        int read(byte[] buffer, int offset, int length, Duration wait) throws IOException;
    }

    /** What came back. */
    public enum Found {
        /** The far end sent bytes: it is alive, and reached. */
        ANSWERED,
        /** The far end closed the connection without a word. */
        CLOSED,
        /** Nothing came back in time: no evidence either way. */
        SILENT
    }

    /**
     * What a look at the stream found.
     *
     * @param found     answered, closed or silent
     * @param kind      how it was asked
     * @param firstLine the first line that came back, as sent (empty unless answered)
     */
    public record Evidence(Found found, ProbeKind kind, String firstLine) {
        public Evidence {
            Objects.requireNonNull(found, "found");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(firstLine, "firstLine");
        }

        /** Whether the answer is an SSH server's greeting. */
        public boolean isSshGreeting() {
            return found == Found.ANSWERED && firstLine.startsWith("SSH-");
        }

        /**
         * Whether the answer is what OpenSSH's sshd says to a connection it drops beyond its MaxStartups: an
         * sshd is there, but it showed neither its greeting nor its host key.
         */
        public boolean isBusySshd() {
            return found == Found.ANSWERED && firstLine.startsWith("Exceeded MaxStartups");
        }

        /** Whether the answer is an HTTP status line. */
        public boolean isHttpStatus() {
            return found == Found.ANSWERED && firstLine.startsWith("HTTP/");
        }

        /** For people, when answered: what the evidence was, the target's words escaped and cut short. */
        public String describe() {
            String shown = shown(firstLine);
            return switch (kind) {
                case GREETING -> shown;
                case HTTP -> isHttpStatus() ? "HTTP HEAD answered: " + shown : "answered a HTTP HEAD with: " + shown;
                case SILENT -> "it sent: " + shown;
            };
        }

        private static String shown(String line) {
            StringBuilder out = new StringBuilder();
            line.strip().codePoints().limit(SHOWN).forEach(out::appendCodePoint);
            return out.length() == 0 ? "(bytes without text)" : Printable.escape(out.toString());
        }
    }

    /** Looks for evidence on {@code stream} as {@code kind} says, within {@code budget}; never throws. */
    public static Evidence gather(ByteStream stream, ProbeKind kind, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        if (kind == ProbeKind.SILENT) {
            deadline = Math.min(deadline, System.nanoTime() + SILENT_WAIT.toNanos());
        }
        if (kind == ProbeKind.HTTP) {
            try {
                stream.send(HEAD_REQUEST);
            } catch (IOException closed) {
                return new Evidence(Found.CLOSED, kind, "");
            }
        }
        return readFirstLine(stream, kind, deadline);
    }

    private static Evidence readFirstLine(ByteStream stream, ProbeKind kind, long deadline) {
        byte[] buffer = new byte[MAX_FIRST_LINE];
        int length = 0;
        boolean ended = false;
        while (length < buffer.length) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            int n;
            try {
                n = stream.read(buffer, length, buffer.length - length, Duration.ofNanos(remaining));
            } catch (IOException e) {
                ended = true;
                break;
            }
            if (n < 0) {
                ended = true;
                break;
            }
            length += n;
            if (indexOf(buffer, length, (byte) '\n') >= 0) {
                break;
            }
        }
        if (length == 0) {
            return new Evidence(ended ? Found.CLOSED : Found.SILENT, kind, "");
        }
        String text = new String(Arrays.copyOf(buffer, length), StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return new Evidence(Found.ANSWERED, kind, (newline >= 0 ? text.substring(0, newline) : text).strip());
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
