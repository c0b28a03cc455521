package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.ssh.BastionConnection;
import io.scitex.tunnel.ssh.BastionNetwork;
import io.scitex.tunnel.ssh.KeyPairLoader;
import io.scitex.tunnel.ssh.TrustedHostKeys;
import io.scitex.tunnel.status.ServiceStates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Setup's checks on the bastion: it logs in as the tunnel will, and asks whether the tunnel's port is free. */
public final class BastionLogin {
    private final ServiceStates states;
    private final BastionNetwork network;

    public BastionLogin(ServiceStates states, BastionNetwork network) {
        this.states = states;
        this.network = network;
    }

    /**
     * Logs in with the tunnel's key, trusting only the host keys about to be pinned, and asks for the
     * tunnel's port, each as a check of {@code preflight}.
     */
    void check(Preflight preflight, TunnelSpec spec, ServiceUser user, TrustedHostKeys hostKeys,
               Optional<Path> passphrase) {
        check(preflight, spec, user, hostKeys, passphrase, () -> states.isUp(spec.port()));
    }

    /**
     * As {@link #check(Preflight, TunnelSpec, ServiceUser, TrustedHostKeys, Optional)}, told by
     * {@code heldByTunnel} whether the tunnel being replaced is up (and so holds the port): apply knows it for
     * every tunnel from one query.
     */
    void check(Preflight preflight, TunnelSpec spec, ServiceUser user, TrustedHostKeys hostKeys,
               Optional<Path> passphrase, BooleanSupplier heldByTunnel) {
        String login = spec.bastion().user().orElse(user.name());
        Path pins = null;
        try {
            pins = Files.createTempFile("scitex-tunnel-pins-", "");
            Files.writeString(pins, hostKeys.knownHostsFile(spec.bastion().knownHostsName()));
            Path pinFile = pins;
            try (BastionConnection session = preflight.check("login",
                    () -> network.login(spec.bastion(), login, KeyPairLoader.loadForTunnel(spec.key(), passphrase, user),
                            pinFile, BastionNetwork.LOOK_TIMEOUT),
                    opened -> login + "@" + spec.bastion().knownHostsName() + " accepts the key")) {
                if (heldByTunnel.getAsBoolean()) {
                    preflight.skip("port", "port " + spec.port() + " is held by the tunnel being replaced");
                    return;
                }
                preflight.check("port", () -> {
                    if (!canListen(session, spec.port())) {
                        throw new TunnelException("port " + spec.port() + " is taken on the bastion (by another"
                                + " program, or by a dead session it has not dropped yet): choose another port, or"
                                + " free it on the bastion");
                    }
                    return "port " + spec.port() + " is free on the bastion's loopback";
                });
            }
        } catch (IOException e) {
            throw new TunnelException("cannot check the bastion: " + e.getMessage(), e);
        } finally {
            deleteQuietly(pins);
        }
    }

    private static boolean canListen(BastionConnection session, int port) {
        try {
            return session.canListenOn(port);
        } catch (IOException e) {
            throw new TunnelException("cannot ask the bastion for port " + port + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // a leftover temporary file holds only public keys
        }
    }
}
