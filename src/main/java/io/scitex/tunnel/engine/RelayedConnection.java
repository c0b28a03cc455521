package io.scitex.tunnel.engine;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;

/**
 * One connection the bastion forwards to us ({@code forwarded-tcpip}), relayed to the target by MINA's own
 * channel, and counted. Bytes to the target are counted as they are written to it. Bytes from the target
 * are counted from SSH flow control, since MINA keeps that stream private: what was sent equals all the
 * window the bastion ever granted (initial window plus adjustments) minus what is left of it.
 */
final class RelayedConnection extends TcpipServerChannel {
    private final Traffic traffic;
    private final AtomicLong windowGranted = new AtomicLong();

    RelayedConnection(Traffic traffic) {
        super(TcpForwardingFilter.Type.Forwarded, null);
        this.traffic = traffic;
    }

    @Override
    public OpenFuture open(long recipient, long rwSize, long packetSize, Buffer buffer) {
        windowGranted.set(rwSize);
        return super.open(recipient, rwSize, packetSize, buffer);
    }

    @Override
    public void handleWindowAdjust(Buffer buffer) throws IOException {
        windowGranted.addAndGet(buffer.rawUInt(buffer.rpos())); // read without consuming: MINA reads it next
        super.handleWindowAdjust(buffer);
    }

    @Override
    protected void handleChannelOpenSuccess(OpenFuture f, IoSession session) {
        traffic.opened(this);
        addCloseFutureListener(closed -> traffic.closed(this));
        super.handleChannelOpenSuccess(f, session);
    }

    @Override
    protected void doWriteData(byte[] data, int off, long len) throws IOException {
        super.doWriteData(data, off, len);
        traffic.wroteToTarget(len);
    }

    /** Bytes from the target handed to the SSH session so far. */
    long sentToBastion() {
        return Math.max(0, windowGranted.get() - getRemoteWindow().getSize());
    }
}
