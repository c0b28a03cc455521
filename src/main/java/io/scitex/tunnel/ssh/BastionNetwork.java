package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * What the workflows ask of bastions over the network: can it be reached, does it accept a tunnel's key,
 * and does each tunnel's forward reach its target. {@link SshBastionNetwork} asks for real (TCP, then SSH on
 * Apache MINA SSHD with strict host key checking); tests hand the workflows a fake.
 */
public interface BastionNetwork {
    /** How long each look at a bastion may take, in setup's checks and in doctor's. */
    Duration LOOK_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Whether the bastion's name resolves and its SSH port accepts TCP connections: returns what was found,
     * throws {@link io.scitex.tunnel.model.TunnelException} with what to do otherwise.
     */
    String reach(BastionAddress bastion, Duration timeout);

    /**
     * Logs in as a tunnel does: verifies the host key against {@code knownHosts} only and authenticates with
     * {@code key} as {@code user}. Failures are {@link BastionCheckException}s that name the step that failed.
     */
    BastionConnection login(BastionAddress bastion, String user, KeyPair key, Path knownHosts, Duration timeout);

    /** Probes each tunnel end to end, in parallel, each within {@code timeout}; outcomes in the given order. */
    List<ProbeOutcome> probe(List<ForwardProbe.Tunnel> tunnels, Duration timeout);
}
