package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.ssh.KnownHosts;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.unit.InstalledUnit;
import io.scitex.tunnel.unit.RunCommandLine;
import io.scitex.tunnel.unit.SshConfigWords;
import io.scitex.tunnel.unit.TunnelEndpoints;
import io.scitex.tunnel.unit.TunnelUnit;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the machine's tunnels back as declarations, whoever wrote their units (setup, apply, the Python
 * scitex-tunnel, a person): what {@link Apply} turns back into exactly these tunnels.
 */
public final class Export {
    private final SystemLayout layout;
    private final UnitDirectory units;
    private final TunnelKeySetup keys;

    public Export(SystemLayout layout, UnitDirectory units, TunnelKeySetup keys) {
        this.layout = layout;
        this.units = units;
        this.keys = keys;
    }

    /**
     * The tunnels, in port order, and a note for each unit that cannot be declared as it is (masked, unreadable)
     * or whose declaration misses what the unit does not record (a passphrase file).
     */
    public record Exported(List<DeclaredTunnel> tunnels, List<String> notes) {
        public Exported {
            tunnels = List.copyOf(tunnels);
            notes = List.copyOf(notes);
        }
    }

    public Exported run() {
        List<DeclaredTunnel> tunnels = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            for (int port : units.list().keySet()) {
                if (units.isMasked(port)) {
                    notes.add("port " + port + ": its unit is masked; left out");
                    continue;
                }
                try {
                    tunnels.add(declare(port, units.read(port).orElseThrow(), notes));
                } catch (RuntimeException unreadable) {
                    notes.add("port " + port + ": left out, its unit cannot be read back: " + unreadable.getMessage());
                }
            }
        } catch (IOException e) {
            throw new TunnelException("cannot read the tunnel units in " + units.directory() + ": " + e.getMessage(), e);
        }
        return new Exported(tunnels, notes);
    }

    private DeclaredTunnel declare(int port, String text, List<String> notes) {
        InstalledUnit unit = InstalledUnit.parse(text);
        List<String> argv = UnitFile.parse(text).execStart().orElseThrow(() -> new InvalidInputException("no ExecStart="));
        TunnelEndpoints endpoints = unit.endpoints();
        String bastion = endpoints.bastion().orElseThrow(() -> new InvalidInputException("no bastion on its command line"));
        BastionAddress address = BastionAddress.parse(bastion);
        // A user's own unit names no User= (their manager runs it as them), and their file names no user.
        boolean own = layout.scope() == ServiceScope.USER;
        ServiceUser user = own ? keys.invokingUser() : keys.user(Optional.of(unit.serviceUser()));
        Engine engine = RunCommandLine.isRunCommand(argv) ? Engine.NATIVE : Engine.AUTOSSH;
        SetupRequest.Builder request = SetupRequest.builder(port, address.toString()).engine(engine)
                .target(endpoints.target().orElse(null))
                .key(endpoints.identityFile().map(k -> SshConfigWords.expandPath(k, user.home(), user.name()).toString())
                        .orElse(null));
        // A unit of this tool records how its target is probed; exported, apply renders the same unit again.
        UnitFile.parse(text).value("Unit", TunnelUnit.PROBE_KEY).ifPresent(kind -> request.probe(unit.probe()));
        if (unit.passphraseSource().isPresent()) {
            request.passphraseFile(unit.passphraseSource().get().toString());
        } else if (unit.passphrase().isPresent()) {
            notes.add("port " + port + ": its key has a passphrase, whose file the unit does not name (it was set up"
                    + " by an older version): add passphrase_file = \"...\" to its [[tunnel]]");
        }
        return new DeclaredTunnel(request.build(), own ? Optional.empty() : Optional.of(user.name()), pinned(port, address), "port " + port);
    }

    /** The host keys pinned for the tunnel (none for a unit that trusts its user's known_hosts). */
    private List<SshPublicKey> pinned(int port, BastionAddress bastion) {
        Path pins = layout.knownHosts(port);
        try {
            return Files.isRegularFile(pins) ? KnownHosts.parse(Files.readString(pins)).keysFor(bastion.knownHostsName())
                    : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
