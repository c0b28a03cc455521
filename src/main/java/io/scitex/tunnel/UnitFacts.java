package io.scitex.tunnel;

import io.scitex.tunnel.engine.TunnelEndpoints;
import io.scitex.tunnel.service.TunnelUnit;
import io.scitex.tunnel.service.UnitFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a unit file says: what its command line connects, whom it runs as, the bastion-side bind address it
 * asks for, whether it has the sandbox setup writes, and the passphrase credential it loads.
 */
record UnitFacts(TunnelEndpoints endpoints, Optional<String> user, Optional<String> remoteBind, boolean hardened,
                 Optional<Path> passphrase) {
    private static final Logger LOG = LoggerFactory.getLogger(ScitexTunnel.class); // see package-info
    private static final UnitFacts NONE = new UnitFacts(TunnelEndpoints.NONE, Optional.empty(), Optional.empty(),
            false, Optional.empty());

    /**
     * Reads {@code file}; a unit that cannot be read or parsed says nothing, so that one broken unit (perhaps
     * written by hand) does not hide the other tunnels.
     */
    static UnitFacts read(Path file) {
        try {
            UnitFile unit = UnitFile.parse(Files.readString(file, StandardCharsets.UTF_8));
            Optional<List<String>> argv = unit.execStart();
            return new UnitFacts(argv.map(TunnelEndpoints::fromArgv).orElse(TunnelEndpoints.NONE),
                    unit.value("Service", "User"), argv.flatMap(TunnelEndpoints::remoteBind),
                    unit.value("Service", "ProtectSystem").filter("strict"::equals).isPresent(),
                    unit.value("Service", "LoadCredential").flatMap(TunnelUnit::passphraseCredential));
        } catch (IOException | RuntimeException unreadable) {
            LOG.debug("cannot read {}: {}", file, unreadable.getMessage());
            return NONE;
        }
    }

    /** The user the service runs as: systemd runs a unit without {@code User=} as root. */
    String serviceUser() {
        return user.orElse("root");
    }
}
