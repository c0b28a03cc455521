package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The logins of one probe run, shared. Tunnels with the same bastion, login, key and pinned host keys would
 * each prove the same by logging in — that a bastion presenting one of these host keys accepts this key for
 * this user — so the first of them logs in and the others open their channels on its session: one key
 * exchange and one authentication for fifty tunnels instead of fifty, and each tunnel still checked through
 * its own forward. Tunnels that differ in any of the four log in on their own.
 */
final class SharedLogins implements AutoCloseable {
    private final Map<Key, Shared> logins = new ConcurrentHashMap<>();

    /**
     * What a login proves, and so what tunnels must have in common to share one.
     *
     * @param bastion   the bastion's host, in lower case, and port
     * @param login     the user name on the bastion
     * @param publicKey the tunnel key's public half, encoded
     * @param pins      the pinned host keys, as the known_hosts file held them
     */
    record Key(String bastion, String login, String publicKey, String pins) {
        static Key of(ForwardProbe.Tunnel tunnel, ForwardProbe.Credentials credentials) {
            BastionAddress bastion = tunnel.bastion();
            return new Key(bastion.host().toLowerCase(Locale.ROOT) + ":" + bastion.port(), tunnel.login(),
                    Base64.getEncoder().encodeToString(credentials.key().getPublic().getEncoded()),
                    credentials.pins().text());
        }
    }

    /** The login for {@code key}: logged in by the first probe that asks ({@link Shared#claim}), awaited by the others. */
    Shared of(Key key) {
        return logins.computeIfAbsent(key, k -> new Shared());
    }

    /** Closes every session the run opened. */
    @Override
    public void close() {
        logins.values().forEach(Shared::close);
    }

    /** One login, and the handshake slot it holds until the bastion has opened a first channel on it. */
    static final class Shared {
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<ProbeLogin.Login> login = new CompletableFuture<>();
        private final AtomicReference<HandshakeSlots.Slot> handshake = new AtomicReference<>();

        private Shared() {}

        /** True for the one probe that is to log in; every other probe {@link #await}s its login. */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        /**
         * Runs the claimed login and hands its outcome to every probe waiting for it, whatever happens: a login
         * that throws is handed on as {@code otherwise}'s outcome. A successful login keeps {@code slot} until
         * a first channel is open ({@link #releaseHandshake}); any other lets go of it.
         */
        ProbeLogin.Login logIn(HandshakeSlots.Slot slot, LoginWork work, Supplier<ProbeLogin.Login> otherwise)
                throws InterruptedException, ExecutionException {
            ProbeLogin.Login done = null;
            try {
                done = work.run();
                return done;
            } finally {
                ProbeLogin.Login handed = done == null ? otherwise.get() : done;
                if (handed.succeeded()) {
                    handshake.set(slot);
                } else {
                    slot.close();
                }
                login.complete(handed);
            }
        }

        /** The login another probe claimed, once it is done. */
        ProbeLogin.Login await() throws InterruptedException, ExecutionException {
            return login.get();
        }

        /**
         * Lets go of the login's handshake slot, if still held: the bastion opened a channel on the session (its
         * listener knows the connection is authenticated now), or a probe's look is over either way.
         */
        void releaseHandshake() {
            HandshakeSlots.Slot slot = handshake.getAndSet(null);
            if (slot != null) {
                slot.close();
            }
        }

        private void close() {
            releaseHandshake();
            ProbeLogin.Login done = login.getNow(null);
            if (done != null && done.succeeded()) {
                done.session().close(true);
            }
        }
    }

    /** A claimed login's work. */
    @FunctionalInterface
    interface LoginWork {
        ProbeLogin.Login run() throws InterruptedException, ExecutionException;
    }
}
