package io.scitex.tunnel.bench;

import java.util.SplittableRandom;

/** Bytes to send through a tunnel: pseudo-random, so that nothing on the way could compress them. */
final class Payload {
    private Payload() {}

    static void fill(byte[] buffer) {
        new SplittableRandom(2222).nextBytes(buffer);
    }

    static byte[] of(int size) {
        byte[] bytes = new byte[size];
        fill(bytes);
        return bytes;
    }
}
