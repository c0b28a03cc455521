package io.scitex.tunnel;

import io.scitex.tunnel.model.Engine;
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
 */
public record SetupRequest(int port, String bastion, String key, Optional<String> target, boolean acceptNew,
                           Engine engine, Optional<String> passphraseFile) {
    public SetupRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(passphraseFile, "passphraseFile");
    }

    /** An autossh tunnel, as before there was a choice of engine. */
    public SetupRequest(int port, String bastion, String key, Optional<String> target, boolean acceptNew) {
        this(port, bastion, key, target, acceptNew, Engine.AUTOSSH, Optional.empty());
    }

    /** The seed's call: {@code setup(2222, "user@bastion.example.com", "~/.ssh/id_rsa")}. */
    public static SetupRequest of(int port, String bastion, String key) {
        return new SetupRequest(port, bastion, key, Optional.empty(), false);
    }

    public SetupRequest withAcceptNew(boolean acceptNew) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, passphraseFile);
    }

    public SetupRequest withTarget(String target) {
        return new SetupRequest(port, bastion, key, Optional.of(target), acceptNew, engine, passphraseFile);
    }

    public SetupRequest withEngine(Engine engine) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, passphraseFile);
    }

    public SetupRequest withPassphraseFile(String file) {
        return new SetupRequest(port, bastion, key, target, acceptNew, engine, Optional.of(file));
    }
}
