package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.ssh.TargetEvidence.Evidence;
import io.scitex.tunnel.ssh.TargetEvidence.Found;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TargetEvidenceTest {
    private static final Duration BUDGET = Duration.ofMillis(300);

    /** A far end that answers with {@code chunks} (once it was sent something, if {@code waitsForRequest}), then ends or stays silent. */
    static final class Scripted implements TargetEvidence.ByteStream {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final Deque<byte[]> chunks = new ArrayDeque<>();
        final boolean waitsForRequest;
        final boolean endsAfter;

        Scripted(boolean waitsForRequest, boolean endsAfter, String... chunks) {
            this.waitsForRequest = waitsForRequest;
            this.endsAfter = endsAfter;
            for (String chunk : chunks) {
                this.chunks.add(chunk.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void send(byte[] bytes) {
            sent.writeBytes(bytes);
        }

        @Override
        public int read(byte[] buffer, int offset, int length, Duration wait) throws IOException {
            if (waitsForRequest && sent.size() == 0) {
                sleep(wait);
                return 0;
            }
            if (chunks.isEmpty()) {
                if (endsAfter) {
                    return -1;
                }
                sleep(wait);
                return 0;
            }
            byte[] chunk = chunks.poll();
            int n = Math.min(length, chunk.length);
            System.arraycopy(chunk, 0, buffer, offset, n);
            return n;
        }

        private static void sleep(Duration wait) {
            try {
                Thread.sleep(Math.min(wait.toMillis(), 20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} -> {5}")
    @CsvSource(delimiter = '|', value = {
        "GREETING | sshd greets                | false | false | SSH-2.0-OpenSSH_9.2p1 Debian | ANSWERED | SSH-2.0-OpenSSH_9.2p1 Debian",
        "GREETING | closes without a word      | false | true  |                              | CLOSED   | ",
        "GREETING | waits for the client       | true  | false |                              | SILENT   | ",
        "HTTP     | web server answers         | true  | false | HTTP/1.0 200 OK              | ANSWERED | HTTP HEAD answered: HTTP/1.0 200 OK",
        "HTTP     | another protocol answers   | true  | false | -ERR unknown command         | ANSWERED | answered a HTTP HEAD with: -ERR unknown command",
        "HTTP     | refused at the far end     | true  | true  |                              | CLOSED   | ",
        "SILENT   | says something after all   | false | false | hello                        | ANSWERED | it sent: hello",
        "SILENT   | refused at the far end     | false | true  |                              | CLOSED   | ",
    })
    void theFirstLineThatComesBackIsTheEvidence(ProbeKind kind, String what, boolean waitsForRequest, boolean ends,
                                                String line, Found found, String described) {
        Scripted far = line == null ? new Scripted(waitsForRequest, ends)
                : new Scripted(waitsForRequest, ends, line + "\r\n", "more\r\n");

        Evidence evidence = TargetEvidence.gather(far, kind, BUDGET);

        assertThat(evidence.found()).isEqualTo(found);
        assertThat(evidence.kind()).isEqualTo(kind);
        assertThat(evidence.firstLine()).isEqualTo(line == null ? "" : line);
        if (found == Found.ANSWERED) {
            assertThat(evidence.describe()).isEqualTo(described);
        }
    }

    @Test
    void anHttpTargetIsSentAHeadRequestAndNothingElse() {
        Scripted far = new Scripted(true, true, "HTTP/1.1 302 Found\r\nLocation: /tree\r\n\r\n");

        Evidence evidence = TargetEvidence.gather(far, ProbeKind.HTTP, BUDGET);

        assertThat(far.sent.toString(StandardCharsets.US_ASCII)).startsWith("HEAD / HTTP/1.0\r\n").endsWith("\r\n\r\n");
        assertThat(evidence.isHttpStatus()).isTrue();
        assertThat(evidence.describe()).isEqualTo("HTTP HEAD answered: HTTP/1.1 302 Found");
    }

    @ParameterizedTest
    @CsvSource({"GREETING", "HTTP", "SILENT"})
    void silenceIsNeverEvidence(ProbeKind kind) {
        Evidence evidence = TargetEvidence.gather(new Scripted(false, false), kind, BUDGET);

        assertThat(evidence.found()).isEqualTo(Found.SILENT);
        assertThat(evidence.firstLine()).isEmpty();
    }

    @Test
    void aSilentTargetIsGivenOnlyAMomentToCloseNotTheWholeBudget() {
        long start = System.nanoTime();

        TargetEvidence.gather(new Scripted(false, false), ProbeKind.SILENT, Duration.ofSeconds(30));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TargetEvidence.SILENT_WAIT.multipliedBy(3));
    }

    @Test
    void aGreetingIsReadUpToItsLineEndAcrossReadsAndShownEscapedAndCut() {
        Evidence evidence = TargetEvidence.gather(new Scripted(false, false, "SSH-2.0-", "Evil\u001b[2J" + "x".repeat(200)
                + "\n"), ProbeKind.GREETING, BUDGET);

        assertThat(evidence.isSshGreeting()).isTrue();
        assertThat(evidence.describe()).startsWith("SSH-2.0-Evil\\x1b[2J").doesNotContain("\u001b");
        assertThat(evidence.describe().length()).isLessThan(100);
    }

    @Test
    void aReadThatFailsCountsAsTheEndOfTheStream() {
        TargetEvidence.ByteStream broken = new TargetEvidence.ByteStream() {
            @Override
            public void send(byte[] bytes) {}

            @Override
            public int read(byte[] buffer, int offset, int length, Duration wait) throws IOException {
                throw new IOException("reset");
            }
        };

        assertThat(TargetEvidence.gather(broken, ProbeKind.GREETING, BUDGET).found()).isEqualTo(Found.CLOSED);
    }
}
