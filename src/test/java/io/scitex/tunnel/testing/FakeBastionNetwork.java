package io.scitex.tunnel.testing;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.ssh.BastionCheckException;
import io.scitex.tunnel.ssh.BastionConnection;
import io.scitex.tunnel.ssh.BastionNetwork;
import io.scitex.tunnel.ssh.ForwardProbe;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Bastions that exist only in memory: reachable or not, accepting the login or not, with ports taken or
 * free, and a probe outcome per tunnel port. Every call is recorded ({@code "reach HOST"}, {@code "login
 * USER@HOST"}, {@code "listen PORT"}, {@code "probe PORT"}) with what it was given.
 */
public final class FakeBastionNetwork implements BastionNetwork {
    private final List<String> calls = new ArrayList<>();
    private final List<ForwardProbe.Tunnel> probed = new ArrayList<>();
    private final Set<Integer> takenPorts = new HashSet<>();
    private final Map<Integer, ProbeOutcome> outcomes = new HashMap<>();
    private String unreachable;
    private RuntimeException loginFailure;
    private Function<ForwardProbe.Tunnel, ProbeOutcome> defaultOutcome = tunnel -> up();
    private Path lastKnownHosts;
    private String lastKnownHostsContent;
    private final List<Duration> probeTimeouts = new ArrayList<>();

    /** A probe outcome that says the target answered through the tunnel. */
    public static ProbeOutcome up() {
        return new ProbeOutcome(ProbeOutcome.Result.TARGET_ANSWERED, "localhost:22 answered through the tunnel: SSH-2.0-OpenSSH_9.2p1", Duration.ofMillis(40));
    }

    public synchronized FakeBastionNetwork unreachable(String why) {
        unreachable = why;
        return this;
    }

    public synchronized FakeBastionNetwork refusingLogin(BastionCheckException failure) {
        loginFailure = failure;
        return this;
    }

    public synchronized FakeBastionNetwork portTaken(int port) {
        takenPorts.add(port);
        return this;
    }

    public synchronized FakeBastionNetwork probing(int port, ProbeOutcome outcome) {
        outcomes.put(port, outcome);
        return this;
    }

    public synchronized FakeBastionNetwork probingEvery(Function<ForwardProbe.Tunnel, ProbeOutcome> outcome) {
        defaultOutcome = outcome;
        return this;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The tunnels the probes were given, in order. */
    public synchronized List<ForwardProbe.Tunnel> probed() {
        return List.copyOf(probed);
    }

    /** What the last login's known_hosts file said while the login was made (setup deletes it afterwards). */
    public synchronized String lastKnownHostsContent() {
        return lastKnownHostsContent;
    }

    public synchronized Path lastKnownHosts() {
        return lastKnownHosts;
    }

    @Override
    public synchronized String reach(BastionAddress bastion, Duration timeout) {
        calls.add("reach " + bastion.host());
        if (unreachable != null) {
            throw new TunnelException(unreachable);
        }
        return bastion.host() + " (127.0.0.1) accepts connections on port " + bastion.port();
    }

    @Override
    public synchronized BastionConnection login(BastionAddress bastion, String user, KeyPair key, Path knownHosts, Duration timeout) {
        calls.add("login " + user + "@" + bastion.knownHostsName());
        lastKnownHosts = knownHosts;
        try {
            lastKnownHostsContent = java.nio.file.Files.readString(knownHosts);
        } catch (java.io.IOException e) {
            lastKnownHostsContent = null;
        }
        if (loginFailure != null) {
            throw loginFailure;
        }
        return new BastionConnection() {
            @Override
            public boolean canListenOn(int port) {
                synchronized (FakeBastionNetwork.this) {
                    calls.add("listen " + port);
                    return !takenPorts.contains(port);
                }
            }

            @Override
            public void close() {
                synchronized (FakeBastionNetwork.this) {
                    calls.add("logout");
                }
            }
        };
    }

    @Override
    public synchronized List<ProbeOutcome> probe(List<ForwardProbe.Tunnel> tunnels, Duration timeout) {
        probeTimeouts.add(timeout);
        List<ProbeOutcome> results = new ArrayList<>();
        for (ForwardProbe.Tunnel tunnel : tunnels) {
            calls.add("probe " + tunnel.port());
            probed.add(tunnel);
            results.add(outcomes.containsKey(tunnel.port()) ? outcomes.get(tunnel.port()) : defaultOutcome.apply(tunnel));
        }
        return results;
    }

    /** The timeout of each {@link #probe} call, in order. */
    public synchronized List<Duration> probeTimeouts() {
        return List.copyOf(probeTimeouts);
    }
}
