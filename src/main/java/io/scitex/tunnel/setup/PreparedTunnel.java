package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.unit.UnitProgram;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A setup request checked and rendered, before anything on the machine or the network was touched.
 *
 * @param passphrase     the user's passphrase file, if the key has one
 * @param passphraseCopy what the service's root-owned copy of the passphrase holds
 * @param knownHosts     the pin file the unit verifies the bastion against
 * @param program        what the unit runs
 * @param unit           the unit file's text
 */
record PreparedTunnel(SetupRequest request, TunnelSpec spec, ServiceUser user, Optional<Path> passphrase,
                      Optional<String> passphraseCopy, Path knownHosts, UnitProgram program, String unit) {
    /** The same tunnel, now described by {@code newSpec} and rendered as {@code newUnit}. */
    PreparedTunnel with(TunnelSpec newSpec, String newUnit) {
        return new PreparedTunnel(request, newSpec, user, passphrase, passphraseCopy, knownHosts, program, newUnit);
    }
}
