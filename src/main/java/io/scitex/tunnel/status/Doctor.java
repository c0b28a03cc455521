package io.scitex.tunnel.status;

import io.scitex.tunnel.model.Diagnosis;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.ssh.BastionNetwork;
import io.scitex.tunnel.ssh.ForwardProbe;
import io.scitex.tunnel.ssh.PrivateKeyCheck;
import io.scitex.tunnel.unit.InstalledUnit;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Optional;

/**
 * Diagnoses a tunnel already checked end to end, adding what the check does not look at: its key checked as
 * ssh checks it, the bastion's reachability, and the unit's sandbox and bind address.
 */
public final class Doctor {
    private final ProbeTargets probeTargets;
    private final BastionNetwork network;

    public Doctor(ProbeTargets probeTargets, BastionNetwork network) {
        this.probeTargets = probeTargets;
        this.network = network;
    }

    public Diagnosis diagnose(InstalledTunnel checked) {
        InstalledUnit unit = checked.unit();
        Optional<String> keyProblem = Optional.empty();
        boolean keyChecked = true;
        try {
            ForwardProbe.Tunnel tunnel = probeTargets.of(checked, new HashMap<>());
            if (Files.exists(tunnel.key()) && !Files.isReadable(tunnel.key())) {
                keyChecked = false;
            } else {
                // as setup checks it: the native engine may read a passphrase from its credential
                keyProblem = problemOf(() -> PrivateKeyCheck.check(tunnel.key(),
                        probeTargets.serviceUser(probeTargets.serviceUserName(unit)), tunnel.passphrase().isPresent()));
            }
        } catch (RuntimeException unusable) { // whatever keeps the tunnel from being probed keeps its key unchecked
            keyProblem = Optional.of(unusable.getMessage());
        }
        Optional<String> bastionProblem = problemOf(() -> network.reach(ProbeTargets.bastionOf(unit.endpoints()),
                BastionNetwork.LOOK_TIMEOUT));
        return Diagnosis.of(checked.status(), new Diagnosis.Facts(keyProblem, keyChecked, bastionProblem,
                unit.hardened(), unit.remoteBind()));
    }

    /** The message of the problem {@code check} reports by throwing, if it does. */
    private static Optional<String> problemOf(Runnable check) {
        try {
            check.run();
            return Optional.empty();
        } catch (InvalidInputException | TunnelException problem) {
            return Optional.of(problem.getMessage());
        }
    }
}
