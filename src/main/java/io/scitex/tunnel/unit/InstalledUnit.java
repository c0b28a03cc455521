package io.scitex.tunnel.unit;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an installed unit file says, read once: what its command line connects, whom it runs as, the
 * bastion-side bind address it asks for, whether it has the sandbox setup writes, and the passphrase
 * credential it loads.
 */
public record InstalledUnit(TunnelEndpoints endpoints, Optional<String> user, Optional<String> remoteBind,
                            boolean hardened, Optional<Path> passphrase) {
    /** A unit that says nothing: unreadable, or not a tunnel's. */
    public static final InstalledUnit NONE = new InstalledUnit(TunnelEndpoints.NONE, Optional.empty(),
            Optional.empty(), false, Optional.empty());

    /** Reads a unit file's text; a RuntimeException says why it cannot be read. */
    public static InstalledUnit parse(String text) {
        UnitFile unit = UnitFile.parse(text);
        Optional<List<String>> argv = unit.execStart();
        return new InstalledUnit(argv.map(TunnelEndpoints::fromArgv).orElse(TunnelEndpoints.NONE),
                unit.value("Service", "User"), argv.flatMap(AutosshCommandLine::remoteBind),
                unit.value("Service", "ProtectSystem").filter("strict"::equals).isPresent(),
                unit.value("Service", "LoadCredential").flatMap(TunnelUnit::passphraseCredential));
    }

    /** The user the service runs as: systemd runs a unit without {@code User=} as root. */
    public String serviceUser() {
        return user.orElse("root");
    }
}
