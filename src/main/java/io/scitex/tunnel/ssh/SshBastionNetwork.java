package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/** The real network: TCP for reachability, SSH (Apache MINA SSHD, strict host keys) for logins and probes. */
public final class SshBastionNetwork implements BastionNetwork {
    @Override
    public String reach(BastionAddress bastion, Duration timeout) {
        return BastionReachability.check(bastion, timeout);
    }

    @Override
    public BastionConnection login(BastionAddress bastion, String user, KeyPair key, Path knownHosts,
                                   Duration timeout) {
        return BastionSession.open(bastion, user, key, knownHosts, timeout);
    }

    @Override
    public List<ProbeOutcome> probe(List<ForwardProbe.Tunnel> tunnels, Duration timeout) {
        return new ForwardProbe(timeout).probeAll(tunnels);
    }
}
