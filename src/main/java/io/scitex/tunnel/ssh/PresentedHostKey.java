package io.scitex.tunnel.ssh;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The host key an SSH server presents, read from a byte stream on which it has just sent its greeting: the
 * first half of a key exchange (curve25519), up to the server's reply, which carries its host key. Nothing is
 * authenticated and the exchange is never finished: the key is only compared, never trusted. Works on any
 * {@link TargetEvidence.ByteStream}, so that a tunnelled channel needs no second connection or local listener.
 */
public final class PresentedHostKey {
    private static final int KEXINIT = 20;
    private static final int KEX_ECDH_INIT = 30;
    private static final int KEX_ECDH_REPLY = 31;
    private static final int MAX_PACKET = 64 * 1024;
    private static final String VERSION = "SSH-2.0-scitex_tunnel_probe\r\n";
    private static final String[] ALGORITHMS = {
        "curve25519-sha256,curve25519-sha256@libssh.org",
        "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa",
        "aes128-ctr,aes256-ctr,chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
        "aes128-ctr,aes256-ctr,chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
        "hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,umac-64-etm@openssh.com",
        "hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,umac-64-etm@openssh.com",
        "none", "none", "", ""};

    private PresentedHostKey() {}

    /**
     * The server's host key, if it sent one within {@code within}; an IOException when the stream ends or
     * the server speaks something else.
     */
    public static Optional<SshPublicKey> read(TargetEvidence.ByteStream stream, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        SecureRandom random = new SecureRandom();
        stream.send(VERSION.getBytes(StandardCharsets.US_ASCII));
        stream.send(packet(kexInit(random), random));
        byte[] ephemeral = new byte[32];
        random.nextBytes(ephemeral);
        stream.send(packet(ecdhInit(ephemeral), random));
        PacketReader reader = new PacketReader(stream, deadline);
        while (true) {
            byte[] payload = reader.next();
            if (payload == null) {
                return Optional.empty();
            }
            if (payload.length > 0 && payload[0] == KEX_ECDH_REPLY) {
                ByteBuffer reply = ByteBuffer.wrap(payload, 1, payload.length - 1);
                byte[] blob = string(reply);
                String type = new String(string(ByteBuffer.wrap(blob)), StandardCharsets.US_ASCII);
                try {
                    return Optional.of(new SshPublicKey(type, Base64.getEncoder().encodeToString(blob)));
                } catch (IllegalArgumentException e) {
                    throw new IOException("the server sent a host key that is none: " + e.getMessage());
                }
            }
            // its KEXINIT, and anything else before the reply (e.g. SSH_MSG_IGNORE), is skipped
        }
    }

    private static byte[] kexInit(SecureRandom random) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(KEXINIT);
        byte[] cookie = new byte[16];
        random.nextBytes(cookie);
        out.write(cookie);
        for (String list : ALGORITHMS) {
            writeString(out, list.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeByte(0); // first_kex_packet_follows
        out.writeInt(0); // reserved
        return bytes.toByteArray();
    }

    private static byte[] ecdhInit(byte[] ephemeral) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(KEX_ECDH_INIT);
        writeString(out, ephemeral);
        return bytes.toByteArray();
    }

    /** The binary packet protocol before keys exist: length, padding length, payload, padding (RFC 4253 6). */
    static byte[] packet(byte[] payload, SecureRandom random) {
        int padding = 8 - (payload.length + 5) % 8;
        if (padding < 4) {
            padding += 8;
        }
        ByteBuffer packet = ByteBuffer.allocate(4 + 1 + payload.length + padding);
        packet.putInt(1 + payload.length + padding).put((byte) padding).put(payload);
        byte[] pad = new byte[padding];
        random.nextBytes(pad);
        packet.put(pad);
        return packet.array();
    }

    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] string(ByteBuffer buffer) throws IOException {
        if (buffer.remaining() < 4) {
            throw new IOException("the server's key exchange reply is cut short");
        }
        int length = buffer.getInt();
        if (length < 0 || length > buffer.remaining()) {
            throw new IOException("the server's key exchange reply is cut short");
        }
        byte[] value = new byte[length];
        buffer.get(value);
        return value;
    }

    /** Reads unencrypted packets, skipping the server's other version lines that RFC 4253 allows. */
    private static final class PacketReader {
        private final TargetEvidence.ByteStream stream;
        private final long deadline;

        PacketReader(TargetEvidence.ByteStream stream, long deadline) {
            this.stream = stream;
            this.deadline = deadline;
        }

        /** The next packet's payload; {@code null} when time ran out. */
        byte[] next() throws IOException {
            byte[] header = readFully(4);
            if (header == null) {
                return null;
            }
            int length = ByteBuffer.wrap(header).getInt();
            if (length < 5 || length > MAX_PACKET) {
                throw new IOException("the server does not speak SSH's packet protocol (packet length " + length + ")");
            }
            byte[] body = readFully(length);
            if (body == null) {
                return null;
            }
            int padding = body[0] & 0xff;
            if (padding + 1 > length) {
                throw new IOException("the server sent a malformed packet");
            }
            byte[] payload = new byte[length - 1 - padding];
            System.arraycopy(body, 1, payload, 0, payload.length);
            return payload;
        }

        private byte[] readFully(int length) throws IOException {
            byte[] buffer = new byte[length];
            int have = 0;
            while (have < length) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                int n = stream.read(buffer, have, length - have, Duration.ofNanos(remaining));
                if (n < 0) {
                    throw new IOException("the server closed the connection during the key exchange");
                }
                have += n;
            }
            return buffer;
        }
    }
}
