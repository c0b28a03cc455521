package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PresentedHostKeyTest {
    private static final String ED25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";

    /** A server that has sent its greeting: it answers with {@code reply} once the client has sent anything. */
    private static final class Server implements TargetEvidence.ByteStream {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final ByteBuffer reply;

        Server(byte[] reply) {
            this.reply = ByteBuffer.wrap(reply);
        }

        @Override
        public void send(byte[] bytes) {
            sent.writeBytes(bytes);
        }

        @Override
        public int read(byte[] buffer, int offset, int length, Duration wait) {
            if (!reply.hasRemaining()) {
                return -1;
            }
            int n = Math.min(Math.min(length, reply.remaining()), 7); // in small pieces, as a network delivers them
            reply.get(buffer, offset, n);
            return n;
        }
    }

    private static byte[] string(byte[] value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DataOutputStream(bytes).writeInt(value.length);
        bytes.writeBytes(value);
        return bytes.toByteArray();
    }

    private static byte[] packet(int type, byte[]... fields) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.write(type);
        for (byte[] field : fields) {
            payload.writeBytes(field);
        }
        return PresentedHostKey.packet(payload.toByteArray(), new SecureRandom());
    }

    private static byte[] serverTalk(byte[] hostKeyBlob) throws IOException {
        ByteArrayOutputStream talk = new ByteArrayOutputStream();
        talk.writeBytes(packet(20, new byte[16], string("curve25519-sha256".getBytes(StandardCharsets.US_ASCII))));
        talk.writeBytes(packet(2, string(new byte[3]))); // SSH_MSG_IGNORE
        talk.writeBytes(packet(31, string(hostKeyBlob), string(new byte[32]), string(new byte[83])));
        return talk.toByteArray();
    }

    @Test
    void theKeyInTheServersKeyExchangeReplyIsThePresentedHostKey() throws Exception {
        Server server = new Server(serverTalk(Base64.getDecoder().decode(ED25519)));

        Optional<SshPublicKey> key = PresentedHostKey.read(server, Duration.ofSeconds(2));

        assertThat(key).hasValue(new SshPublicKey("ssh-ed25519", ED25519));
        byte[] sent = server.sent.toByteArray();
        assertThat(new String(sent, 0, 28, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-scitex_tunnel_probe\r");
        int kexInitLength = ByteBuffer.wrap(sent, 29, 4).getInt();
        assertThat(sent[29 + 5]).as("KEXINIT first").isEqualTo((byte) 20);
        assertThat(sent[29 + 4 + kexInitLength + 5]).as("then the client's ephemeral key").isEqualTo((byte) 30);
    }

    @Test
    void packetsArePaddedToAMultipleOfEightWithAtLeastFourBytes() {
        for (int size = 0; size < 40; size++) {
            byte[] packet = PresentedHostKey.packet(new byte[size], new SecureRandom());
            assertThat(packet.length % 8).isZero();
            assertThat((int) packet[4]).isBetween(4, 11);
            assertThat(ByteBuffer.wrap(packet).getInt()).isEqualTo(packet.length - 4);
        }
    }

    @Test
    void aServerThatEndsTheConnectionOrSpeaksSomethingElseIsAnError() {
        assertThatThrownBy(() -> PresentedHostKey.read(new Server(new byte[0]), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("closed the connection");
        assertThatThrownBy(() -> PresentedHostKey.read(new Server("HTTP/1.0 400 Bad\r\n\r\n".getBytes(
                StandardCharsets.US_ASCII)), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("packet protocol");
    }

    @Test
    void aServerThatSaysNothingInTimeGivesNoKey() throws Exception {
        TargetEvidence.ByteStream silent = new TargetEvidence.ByteStream() {
            @Override
            public void send(byte[] bytes) {}

            @Override
            public int read(byte[] buffer, int offset, int length, Duration wait) throws IOException {
                return 0;
            }
        };

        assertThat(PresentedHostKey.read(silent, Duration.ofMillis(50))).isEmpty();
    }
}
