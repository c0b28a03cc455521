package io.scitex.tunnel.unit;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ProbeKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an installed unit file says, read once: what its command line connects, whom it runs as, the
 * bastion-side bind address it asks for, whether it has the sandbox setup writes, the passphrase
 * credential it loads (and the file it was copied from, when the unit records it), which engine it runs and
 * how its target is probed.
 */
public record InstalledUnit(TunnelEndpoints endpoints, Optional<String> user, Optional<String> remoteBind,
                            boolean hardened, Optional<Path> passphrase, Optional<Path> passphraseSource,
                            Engine engine, ProbeKind probe) {
    /** A unit that says nothing: unreadable, or not a tunnel's. */
    public static final InstalledUnit NONE = new InstalledUnit(TunnelEndpoints.NONE, Optional.empty(),
            Optional.empty(), false, Optional.empty(), Optional.empty(), Engine.AUTOSSH, ProbeKind.GREETING);

    /** Reads a unit file's text; a RuntimeException says why it cannot be read. */
    public static InstalledUnit parse(String text) {
        UnitFile unit = UnitFile.parse(text);
        Optional<List<String>> argv = unit.execStart();
        return new InstalledUnit(argv.map(TunnelEndpoints::fromArgv).orElse(TunnelEndpoints.NONE),
                unit.value("Service", "User"), argv.flatMap(AutosshCommandLine::remoteBind),
                unit.value("Service", "ProtectSystem").filter("strict"::equals).isPresent(),
                unit.value("Service", "LoadCredential").flatMap(TunnelUnit::passphraseCredential),
                unit.value("Unit", TunnelUnit.PASSPHRASE_SOURCE_KEY).map(Path::of).filter(Path::isAbsolute),
                argv.filter(RunCommandLine::isRunCommand).isPresent() ? Engine.NATIVE : Engine.AUTOSSH,
                unit.value("Unit", TunnelUnit.PROBE_KEY).map(InstalledUnit::probeKind).orElse(ProbeKind.GREETING));
    }

    /** A probe kind this version does not know (written by a newer one) is probed as a greeting, as before. */
    private static ProbeKind probeKind(String word) {
        try {
            return ProbeKind.parse(word);
        } catch (InvalidInputException unknown) {
            return ProbeKind.GREETING;
        }
    }

    /** The user the service runs as: systemd runs a unit without {@code User=} as root. */
    public String serviceUser() {
        return user.orElse("root");
    }
}
