package io.scitex.tunnel.setup;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.ssh.TrustedHostKeys;
import java.nio.file.Path;
import java.util.List;

/**
 * A tunnel that setup installed and started.
 *
 * @param spec     what the tunnel does
 * @param unitFile the unit written
 * @param replaced whether a tunnel on the same port existed and was replaced
 * @param hostKeys the bastion host keys the tunnel trusts, and where they came from
 * @param checks   the checks made before anything was written
 * @param status   the service's state right after it was started
 * @param engine   what keeps the tunnel alive
 */
public record SetupResult(TunnelSpec spec, Path unitFile, boolean replaced, TrustedHostKeys hostKeys,
                          List<PreflightCheck> checks, TunnelStatus status, Engine engine) {
    public SetupResult {
        checks = List.copyOf(checks);
    }
}
