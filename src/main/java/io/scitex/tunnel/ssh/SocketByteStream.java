package io.scitex.tunnel.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A connected socket as the byte stream {@link TargetEvidence} reads: setup's look at a target, the bastion's at a port. */
public record SocketByteStream(Socket socket) implements TargetEvidence.ByteStream {
    @Override
    public void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        InputStream in = socket.getInputStream();
        try {
            return in.read(buffer, offset, length);
        } catch (SocketTimeoutException nothingYet) {
            return 0;
        }
    }
}
