package io.scitex.tunnel.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A user on the bastion side of a tunnel: connects to 127.0.0.1:PORT (the forward, or the target itself for
 * the loopback ceiling) and measures what comes through to the {@link BenchTarget}.
 */
final class BenchClient {
    private static final int TIMEOUT_MS = 60_000;
    private final int port;

    BenchClient(int port) {
        this.port = port;
    }

    /** Bytes per second from this side to the target, over one connection. */
    double upload(long bytes) throws IOException {
        try (Socket socket = open(BenchTarget.DISCARD)) {
            long started = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            byte[] chunk = Payload.of(BenchTarget.BUFFER);
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            socket.shutdownOutput();
            long received = ByteBuffer.wrap(socket.getInputStream().readNBytes(8)).getLong();
            long elapsed = System.nanoTime() - started;
            if (received != bytes) {
                throw new IOException("the target received " + received + " of " + bytes + " bytes");
            }
            return bytes * 1e9 / elapsed;
        }
    }

    /** Bytes per second from the target to this side, over one connection. */
    double download(long bytes) throws IOException {
        try (Socket socket = open(BenchTarget.SOURCE)) {
            long started = System.nanoTime();
            socket.getOutputStream().write(ByteBuffer.allocate(8).putLong(bytes).array());
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[BenchTarget.BUFFER];
            for (long left = bytes; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("the stream ended " + left + " bytes early");
                }
                left -= n;
            }
            return bytes * 1e9 / (System.nanoTime() - started);
        }
    }

    /** Bytes per second to the target, all of {@code streams} connections together, uploading at once. */
    double parallelUpload(int streams, long bytesEach) throws IOException, InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<IOException> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            Thread thread = BenchTarget.daemon("bench-stream-" + i, () -> {
                try {
                    start.await();
                    upload(bytesEach);
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
            threads.add(thread);
        }
        long started = System.nanoTime();
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long elapsed = System.nanoTime() - started;
        if (failure.get() != null) {
            throw failure.get();
        }
        return streams * bytesEach * 1e9 / elapsed;
    }

    /** The round-trip times, in nanoseconds, of {@code count} echoed messages of {@code size} bytes, one at a time. */
    long[] roundTrips(int count, int size) throws IOException {
        try (Socket socket = open(BenchTarget.ECHO)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] message = Payload.of(size);
            long[] nanos = new long[count];
            for (int i = 0; i < count; i++) {
                long sent = System.nanoTime();
                out.write(message);
                out.flush();
                if (in.readNBytes(size).length != size) {
                    throw new IOException("the echo ended after " + i + " messages");
                }
                nanos[i] = System.nanoTime() - sent;
            }
            return nanos;
        }
    }

    /** Whether a connection now gets the target's banner: the tunnel works end to end. */
    boolean answers(Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            return Arrays.equals(socket.getInputStream().readNBytes(BenchTarget.BANNER.length), BenchTarget.BANNER);
        } catch (IOException notYet) {
            return false;
        }
    }

    private Socket open(byte command) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            byte[] banner = socket.getInputStream().readNBytes(BenchTarget.BANNER.length);
            if (!Arrays.equals(banner, BenchTarget.BANNER)) {
                throw new IOException("127.0.0.1:" + port + " did not answer with the bench target's banner");
            }
            socket.getOutputStream().write(command);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
