package io.scitex.tunnel;

import io.scitex.tunnel.model.Engine;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a user asks {@code setup} for, as given (strings are parsed and checked by setup).
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
 */
public record SetupRequest(int port, String bastion, String key, Optional<String> target, boolean acceptNew,
                           Engine engine, Optional<String> passphraseFile, boolean networkChecks,
                           Duration verifyWithin, boolean rollback) {
    /** Long enough for a first connection and the keepalive bound of a link that drops at once. */
    public static final Duration DEFAULT_VERIFY_WITHIN = Duration.ofSeconds(15);

    public SetupRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(passphraseFile, "passphraseFile");
        Objects.requireNonNull(verifyWithin, "verifyWithin");
    }

    /** An autossh tunnel, checked before and after it is installed. */
    public SetupRequest(int port, String bastion, String key, Optional<String> target, boolean acceptNew) {
        this(port, bastion, key, target, acceptNew, Engine.AUTOSSH, Optional.empty(), true, DEFAULT_VERIFY_WITHIN,
                false);
    }

    /** The seed's call: {@code setup(2222, "user@bastion.example.com", "~/.ssh/id_rsa")}. */
    public static SetupRequest of(int port, String bastion, String key) {
        return new SetupRequest(port, bastion, key, Optional.empty(), false);
    }

    public SetupRequest withAcceptNew(boolean acceptNew) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, passphraseFile, networkChecks,
                verifyWithin, rollback);
    }

    public SetupRequest withTarget(String target) {
        return new SetupRequest(port, bastion, key, Optional.of(target), acceptNew, engine, passphraseFile,
                networkChecks, verifyWithin, rollback);
    }

    public SetupRequest withEngine(Engine engine) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, passphraseFile, networkChecks,
                verifyWithin, rollback);
    }

    public SetupRequest withPassphraseFile(String file) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, Optional.of(file), networkChecks,
                verifyWithin, rollback);
    }

    public SetupRequest withNetworkChecks(boolean networkChecks) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, passphraseFile, networkChecks,
                verifyWithin, rollback);
    }

    public SetupRequest withVerification(Duration verifyWithin, boolean rollback) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, passphraseFile, networkChecks,
                verifyWithin, rollback);
    }
}
