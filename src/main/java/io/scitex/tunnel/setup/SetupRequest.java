package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ProbeKind;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user asks {@code setup} for, as given (strings are parsed and checked by setup). Made with
 * {@link #builder}; {@link #of} is the seed's call.
 *
 * @param port           the port the bastion listens on for this tunnel
 * @param bastion        {@code [user@]host[:sshport]}
 * @param key            path of the private key; a leading {@code ~} means the service user's home; null for
 *                       the tunnel's dedicated key ({@code scitex-tunnel keygen})
 * @param target         {@code HOST:PORT} to forward to; empty means {@code localhost:22}
 * @param acceptNew      whether an unknown bastion host key may be fetched and pinned (trust on first use)
 * @param engine         what keeps the tunnel alive: autossh (the default) or the native engine
 * @param passphraseFile for the native engine, a file holding the key's passphrase (given to the service as
 *                       a systemd credential); a leading {@code ~} means the service user's home
 * @param networkChecks  whether setup first checks that the bastion is reachable, accepts the key and has
 *                       the port free, and afterwards waits until the tunnel works (off for offline installs)
 * @param verifyWithin   how long setup waits for the started tunnel to work end to end before it fails
 * @param rollback       whether a tunnel that does not come up in time is removed again (else it is left in
 *                       place for {@code status} and {@code logs})
 * @param force          whether a masked unit ({@code systemctl mask}) may be replaced
 * @param probe          how status gets evidence that the target is reached; empty: setup finds out by
 *                       connecting to the target here
 */
public record SetupRequest(int port, String bastion, String key, Optional<String> target, boolean acceptNew,
                           Engine engine, Optional<String> passphraseFile, boolean networkChecks,
                           Duration verifyWithin, boolean rollback, boolean force, Optional<ProbeKind> probe) {
    /** Long enough for a first connection and the keepalive bound of a link that drops at once. */
    public static final Duration DEFAULT_VERIFY_WITHIN = Duration.ofSeconds(15);

    /** The bounds of {@link #verifyWithin} in seconds, wherever it is given (command line, tunnels file). */
    public static final int MIN_WAIT_SECONDS = 1;
    public static final int MAX_WAIT_SECONDS = 3600;

    /** How long to wait for a started tunnel, given in seconds: 1 to 3600, else {@link InvalidInputException}. */
    public static Duration waitSeconds(long seconds) {
        if (seconds < MIN_WAIT_SECONDS || seconds > MAX_WAIT_SECONDS) {
            throw new InvalidInputException("wait must be " + MIN_WAIT_SECONDS + " to " + MAX_WAIT_SECONDS
                    + " seconds, not " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }

    public SetupRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(passphraseFile, "passphraseFile");
        Objects.requireNonNull(verifyWithin, "verifyWithin");
        Objects.requireNonNull(probe, "probe");
    }

    /** The seed's call: {@code setup(2222, "user@bastion.example.com", "~/.ssh/id_rsa")}. */
    public static SetupRequest of(int port, String bastion, String key) {
        return builder(port, bastion).key(key).build();
    }

    /**
     * An autossh tunnel to {@code localhost:22} with the tunnel's dedicated key, checked before and after it
     * is installed, until the builder is told otherwise.
     */
    public static Builder builder(int port, String bastion) {
        return new Builder(port, bastion);
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        return builder(port, bastion).key(key).target(target.orElse(null)).acceptNew(acceptNew).engine(engine)
                .passphraseFile(passphraseFile.orElse(null)).networkChecks(networkChecks)
                .verifyWithin(verifyWithin).rollback(rollback).force(force).probe(probe.orElse(null));
    }

    /** Builds a {@link SetupRequest}; every value but port and bastion has a default. */
    public static final class Builder {
        private final int port;
        private final String bastion;
        private String key;
        private Optional<String> target = Optional.empty();
        private boolean acceptNew;
        private Engine engine = Engine.AUTOSSH;
        private Optional<String> passphraseFile = Optional.empty();
        private boolean networkChecks = true;
        private Duration verifyWithin = DEFAULT_VERIFY_WITHIN;
        private boolean rollback;
        private boolean force;
        private Optional<ProbeKind> probe = Optional.empty();

        private Builder(int port, String bastion) {
            this.port = port;
            this.bastion = bastion;
        }

        /** The private key; null (the default) for the tunnel's dedicated key. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /** {@code HOST:PORT}; null (the default) for {@code localhost:22}. */
        public Builder target(String target) {
            this.target = Optional.ofNullable(target);
            return this;
        }

        public Builder acceptNew(boolean acceptNew) {
            this.acceptNew = acceptNew;
            return this;
        }

        public Builder engine(Engine engine) {
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** The native engine's passphrase file; null (the default) for none. */
        public Builder passphraseFile(String passphraseFile) {
            this.passphraseFile = Optional.ofNullable(passphraseFile);
            return this;
        }

        public Builder networkChecks(boolean networkChecks) {
            this.networkChecks = networkChecks;
            return this;
        }

        public Builder verifyWithin(Duration verifyWithin) {
            this.verifyWithin = Objects.requireNonNull(verifyWithin, "verifyWithin");
            return this;
        }

        public Builder rollback(boolean rollback) {
            this.rollback = rollback;
            return this;
        }

        /** Replace a masked unit (off by default: setup refuses to). */
        public Builder force(boolean force) {
            this.force = force;
            return this;
        }

        /** How to probe the target; null (the default): found out by connecting to it. */
        public Builder probe(ProbeKind probe) {
            this.probe = Optional.ofNullable(probe);
            return this;
        }

        public SetupRequest build() {
            return new SetupRequest(port, bastion, key, target, acceptNew, engine, passphraseFile, networkChecks,
                    verifyWithin, rollback, force, probe);
        }
    }
}
