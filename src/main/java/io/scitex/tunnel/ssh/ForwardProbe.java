package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.RootCause;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.ssh.TargetEvidence.Evidence;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelPipedInputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a tunnel end to end, as someone on the bastion would use it: logs in to the bastion with the
 * tunnel's own key, verifying the bastion against the tunnel's own pinned host keys, opens the bastion's
 * {@code localhost:PORT} (where the reverse forward listens) through a direct-tcpip channel, and looks for
 * evidence that the connection reached the target ({@link TargetEvidence}: a greeting, an answer to a HTTP
 * {@code HEAD}); an sshd on this machine must also present one of this machine's host keys.
 * Several tunnels are probed in parallel, each step within the same timeout: tunnels with the same bastion,
 * login, key and pinned host keys share one login ({@link SharedLogins}); at most
 * {@value #HANDSHAKES_PER_BASTION} logins are in flight to one bastion, and at most
 * {@value TargetTurns#PER_TARGET} probes look through forwards to one target at a time until it has answered
 * as something else than an sshd, so that neither's {@code MaxStartups} is tripped. Every part of a probe has
 * a hard deadline — reading its files, resolving the bastion's name, connecting, the key exchange, the
 * forward — past which the probe is given up, so that nothing a tunnel's owner or its bastion does can make
 * {@code status} hang.
 */
public final class ForwardProbe {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardProbe.class);
    /** Handshakes in flight to one bastion: well below OpenSSH's default MaxStartups (10), leaving room for others. */
    static final int HANDSHAKES_PER_BASTION = 3;
    /** Probes in flight at once, over all bastions and targets. */
    static final int MAX_PARALLEL = 16;
    /** How long a probe waits for the bastion to close the channel it looked through. */
    private static final Duration CLOSE_WAIT = Duration.ofMillis(500);
    /** Between reads, whether the target's end closed is checked this often. */
    private static final long READ_SLICE_MILLIS = 50;
    /**
     * How much longer than the timeout each stage of a probe (reading its files; the network) may take before
     * it is given up: enough to read a key on a cold JVM and to close what the probe opened.
     */
    private static final Duration GRACE = Duration.ofSeconds(1);

    private final Duration timeout;
    private final Function<Tunnel, Credentials> credentials;

    /** @param timeout how long each probe may take, from its first connection to the target's first bytes */
    public ForwardProbe(Duration timeout) {
        this(timeout, Credentials::read);
    }

    /** @param credentials reads a tunnel's key and pinned host keys (tests make it hang) */
    ForwardProbe(Duration timeout, Function<Tunnel, Credentials> credentials) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.credentials = credentials;
    }

    /**
     * One tunnel to probe.
     *
     * @param port       the bastion-side port of the forward
     * @param bastion    the bastion the tunnel connects to
     * @param login      the login on the bastion (the unit's, else the service user's name)
     * @param key        the tunnel's private key
     * @param knownHosts the known_hosts file that pins the bastion's host key for this tunnel
     * @param target     where the forward leads on this machine, if known: checked directly when the
     *                   tunnel brings no answer back, to say whether the target itself accepts connections
     * @param passphrase the file holding the key's passphrase, if the tunnel has one (native engine)
     * @param kind       how to get evidence that the probe's connection reached the target
     * @param machineKeys this machine's own sshd host keys, when the target is an sshd on this machine: a
     *                   greeting sshd behind the port that presents none of them is another machine; empty
     *                   when there is nothing to compare with
     */
    public record Tunnel(int port, BastionAddress bastion, String login, Path key, Path knownHosts,
                         Optional<TargetAddress> target, Optional<Path> passphrase, ProbeKind kind,
                         List<SshPublicKey> machineKeys) {
        public Tunnel {
            Objects.requireNonNull(kind, "kind");
            machineKeys = List.copyOf(machineKeys);
        }

        /** A tunnel whose target greets, with no host keys to compare an sshd target's with. */
        public Tunnel(int port, BastionAddress bastion, String login, Path key, Path knownHosts,
                      Optional<TargetAddress> target, Optional<Path> passphrase) {
            this(port, bastion, login, key, knownHosts, target, passphrase, ProbeKind.GREETING, List.of());
        }

        /**
         * Why this tunnel's files cannot be read for a probe, if they cannot: one is missing, not readable by
         * this user, or not a regular file (a FIFO or a device would never end). Only looks at them.
         */
        public Optional<String> unusableFile() {
            return unusable(key, "key")
                    .or(() -> passphrase.flatMap(file -> unusable(file, "passphrase file")))
                    .or(() -> unusable(knownHosts, "pinned host keys"));
        }

        private static Optional<String> unusable(Path file, String what) {
            if (!Files.exists(file)) {
                return Optional.of(what + " " + file + " does not exist");
            }
            if (!Files.isRegularFile(file)) {
                return Optional.of(what + " " + file + " is not a regular file");
            }
            if (!Files.isReadable(file)) {
                return Optional.of("cannot read the tunnel's " + what + " " + file + ": run with sudo");
            }
            return Optional.empty();
        }
    }

    /** What a probe logs in with, read from the tunnel's files before it connects. */
    record Credentials(KeyPair key, KnownHostsFile pins) {
        static Credentials read(Tunnel tunnel) {
            return new Credentials(KeyPairLoader.loadForTunnel(tunnel.key(), tunnel.passphrase()),
                    KnownHostsFile.read(tunnel.knownHosts()));
        }
    }

    /** The outcome of a tunnel that cannot be probed here, and why: {@code cannot probe: WHY}. */
    public static ProbeOutcome cannotProbe(String why, Duration took) {
        return new ProbeOutcome(Result.CANNOT_PROBE, "cannot probe: " + Printable.escape(why), took);
    }

    /**
     * Probes all tunnels in parallel (at most {@value #MAX_PARALLEL} at a time, each with its own timeout)
     * over one SSH client, each connection checked against its own tunnel's pins, tunnels that would log in
     * alike sharing one login ({@link SharedLogins}); the outcomes are in the order of {@code tunnels}.
     */
    public List<ProbeOutcome> probeAll(List<Tunnel> tunnels) {
        if (tunnels.isEmpty()) {
            return List.of();
        }
        SshClient client = StrictSshClient.createWithPinsPerConnection(Keepalive.DEFAULT);
        client.start();
        Run run = new Run(new ProbeLogin(client), new HandshakeSlots(HANDSHAKES_PER_BASTION), new SharedLogins(),
                new TargetTurns());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(tunnels.size(), MAX_PARALLEL), runnable -> {
            Thread thread = new Thread(runnable, "forward-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<ProbeOutcome>> futures = new ArrayList<>();
            tunnels.forEach(tunnel -> futures.add(pool.submit(() -> probe(run, tunnel))));
            List<ProbeOutcome> outcomes = new ArrayList<>();
            for (Future<ProbeOutcome> future : futures) {
                outcomes.add(join(future));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            run.logins().close();
            client.stop();
        }
    }

    /** What the probes of one run share: the client's logins, each bastion's handshakes, each target's turns. */
    private record Run(ProbeLogin login, HandshakeSlots handshakes, SharedLogins logins, TargetTurns targets) {}

    private static ProbeOutcome join(Future<ProbeOutcome> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return cannotProbe("the probe failed: " + RootCause.messageOrOuter(e.getCause()), Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cannotProbe("the probe was interrupted", Duration.ZERO);
        }
    }

    /**
     * Probes one tunnel; never throws, and never takes much longer than its timeout for each of its steps once
     * it has its turn. Reading the tunnel's files comes first, on a deadline of its own, so that a cold JVM
     * does not eat into the network's time; then the login (its own, or the one it shares), then the look
     * through the forward, each on the timeout.
     */
    private ProbeOutcome probe(Run run, Tunnel tunnel) {
        Optional<String> unusable = tunnel.unusableFile();
        if (unusable.isPresent()) {
            return cannotProbe(unusable.get(), Duration.ZERO);
        }
        Duration bound = timeout.plus(GRACE);
        long start = System.nanoTime();
        try {
            Optional<Credentials> read = AbandonableCall.within(bound, "forward-probe-files",
                    () -> credentials.apply(tunnel));
            if (read.isEmpty()) {
                return cannotProbe("reading the tunnel's files (key " + tunnel.key()
                        + tunnel.passphrase().map(file -> ", passphrase file " + file).orElse("") + ", pinned host keys "
                        + tunnel.knownHosts() + ") did not end within " + ProbeDeadline.seconds(bound)
                        + ": is one of them a FIFO, or on a file system that hangs?", Duration.ofNanos(System.nanoTime() - start));
            }
            long filesRead = System.nanoTime();
            SharedLogins.Shared shared = run.logins().of(SharedLogins.Key.of(tunnel, read.get()));
            boolean claimed = shared.claim();
            ProbeLogin.Login login = claimed ? logIn(run, shared, read.get(), tunnel, bound) : shared.await();
            long loggedIn = System.nanoTime();
            ProbeOutcome outcome = login.succeeded()
                    ? throughForward(run.targets(), login.session(), tunnel, shared, bound) : login.outcome();
            LOG.debug("probe of port {}: files {} ms, {} {} ms, forward {} ms: {}", tunnel.port(),
                    (filesRead - start) / 1_000_000, claimed ? "login" : "waited for the shared login",
                    (loggedIn - filesRead) / 1_000_000, (System.nanoTime() - loggedIn) / 1_000_000, outcome.result());
            return outcome;
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            return cannotProbe(failure instanceof InvalidInputException ? failure.getMessage()
                    : "the probe failed: " + RootCause.messageOrOuter(failure), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cannotProbe("the probe was interrupted", Duration.ZERO);
        }
    }

    /**
     * The login this probe claimed for every tunnel that shares it, once it has one of the bastion's handshakes;
     * given up at {@code bound}: a name lookup cannot be cut short.
     */
    private ProbeLogin.Login logIn(Run run, SharedLogins.Shared shared, Credentials credentials, Tunnel tunnel,
                                   Duration bound) throws ExecutionException, InterruptedException {
        String where = "the bastion " + tunnel.bastion().knownHostsName();
        HandshakeSlots.Slot slot = run.handshakes().slotFor(tunnel.bastion());
        ProbeDeadline deadline = ProbeDeadline.startingNow(timeout);
        Supplier<ProbeLogin.Login> gaveUp = () -> ProbeLogin.Login.failed(deadline.outcome(Result.BASTION_UNREACHABLE,
                "no answer from " + where + " within " + deadline.timeoutText()));
        return shared.logIn(slot, () -> {
            slot.acquire();
            ProbeDeadline started = ProbeDeadline.startingNow(timeout);
            if (slot.isBastionUnanswering()) {
                return ProbeLogin.Login.failed(started.outcome(Result.BASTION_UNREACHABLE, "no answer from " + where
                        + " within " + started.timeoutText() + " (to the probe of another of its tunnels)"));
            }
            return AbandonableCall.within(bound, "forward-probe-login",
                    () -> run.login().logIn(credentials, tunnel, slot, started)).orElseGet(() -> {
                        slot.bastionUnanswering();
                        return ProbeLogin.Login.failed(started.outcome(Result.BASTION_UNREACHABLE, "no answer from "
                                + where + " within " + started.timeoutText()));
                    });
        }, gaveUp);
    }

    /** The look through the forward, on the timeout once the target has a turn free, given up at {@code bound}. */
    private ProbeOutcome throughForward(TargetTurns targets, ClientSession session, Tunnel tunnel,
                                        SharedLogins.Shared shared, Duration bound)
            throws ExecutionException, InterruptedException {
        try (TargetTurns.Turn turn = targets.take(tunnel)) {
            ProbeDeadline deadline = ProbeDeadline.startingNow(timeout);
            return AbandonableCall.within(bound, "forward-probe-channel", () -> {
                try {
                    return throughForward(session, tunnel, deadline, shared::releaseHandshake, turn);
                } catch (IOException e) {
                    return deadline.outcome(Result.BASTION_UNREACHABLE, "lost the connection to the bastion "
                            + tunnel.bastion().knownHostsName() + ": " + RootCause.messageOrOuter(e));
                }
            }).orElseGet(() -> deadline.outcome(Result.BASTION_UNREACHABLE, "the bastion did not open localhost:"
                    + tunnel.port() + " within " + deadline.timeoutText()));
        } finally {
            // Whatever happened to the channel, the login's handshake is over: never keep it from other logins.
            shared.releaseHandshake();
        }
    }

    /** Opens the bastion's end of the forward, says so to {@code opened}, and reads what the target sends. */
    private ProbeOutcome throughForward(ClientSession session, Tunnel tunnel, ProbeDeadline deadline, Runnable opened,
                                        TargetTurns.Turn turn) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Look look = lookOnce(session, tunnel, deadline, opened, turn);
            if (!look.busy() || !deadline.pauseBeforeRetry(attempt)) {
                return look.outcome();
            }
        }
    }

    /**
     * One look through the forward: its outcome, and whether the target was an sshd too busy to talk (it said
     * so and closed, as OpenSSH does beyond its MaxStartups), which is worth another look within the deadline.
     */
    private record Look(ProbeOutcome outcome, boolean busy) {
        Look(ProbeOutcome outcome) {
            this(outcome, false);
        }
    }

    private Look lookOnce(ClientSession session, Tunnel tunnel, ProbeDeadline deadline, Runnable opened,
                          TargetTurns.Turn turn) throws IOException {
        boolean maybeAnSshd = true;
        String forward = "localhost:" + tunnel.port() + " on the bastion";
        ChannelDirectTcpip channel = session.createDirectTcpipChannel(new SshdSocketAddress("localhost", 0),
                new SshdSocketAddress("localhost", tunnel.port()));
        try {
            OpenFuture opening = channel.open();
            boolean answered = opening.await(deadline.remaining());
            opened.run();
            if (!answered) {
                return new Look(deadline.outcome(Result.BASTION_UNREACHABLE, "the bastion did not open " + forward
                        + " within " + deadline.timeoutText()));
            }
            if (opening.getException() != null) {
                return new Look(refusedChannel(opening.getException(), tunnel.port(), forward, deadline));
            }
            ChannelStream stream = new ChannelStream(channel);
            Evidence evidence = TargetEvidence.gather(stream, tunnel.kind(), deadline.remaining());
            String target = tunnel.target().map(Object::toString).orElse("the target");
            if (evidence.found() == TargetEvidence.Found.ANSWERED && !evidence.isSshGreeting()
                    && !evidence.isBusySshd()) {
                maybeAnSshd = false;
                turn.notAnSshd();
            }
            if (evidence.isBusySshd()) {
                return new Look(deadline.outcome(Result.TARGET_ANSWERED, target + " answered through the tunnel: "
                        + evidence.describe() + " (an sshd too busy for another connection"
                        + (tunnel.machineKeys().isEmpty() ? ")" : ": its host key could not be compared)")), true);
            }
            if (evidence.found() == TargetEvidence.Found.ANSWERED) {
                return new Look(evidence.isSshGreeting() && !tunnel.machineKeys().isEmpty()
                        ? sameMachine(stream, tunnel, evidence, deadline)
                        : deadline.outcome(Result.TARGET_ANSWERED, target + " answered through the tunnel: "
                                + evidence.describe()));
            }
            return new Look(unanswered(tunnel, evidence, target, deadline));
        } finally {
            // An sshd's turn is given back once the bastion has closed its end too, so that the next probe's
            // connection does not overlap this one's at the target (an sshd counts it until its child is gone).
            CloseFuture closing = channel.close(false);
            if (maybeAnSshd) {
                closing.await(CLOSE_WAIT);
            }
        }
    }

    /** No answer through the tunnel: whether the target accepts connections here says where the fault is. */
    private static ProbeOutcome unanswered(Tunnel tunnel, Evidence evidence, String target, ProbeDeadline deadline) {
        String local = tunnel.target().map(t -> "; " + checkLocally(t, deadline)).orElse("");
        if (evidence.found() == TargetEvidence.Found.CLOSED) {
            return deadline.outcome(Result.TARGET_CLOSED, "the forward is listening on the bastion, but " + target
                    + " closed the tunnelled connection without a word" + local);
        }
        return switch (tunnel.kind()) {
            case SILENT -> deadline.outcome(Result.NO_EVIDENCE, "the forward accepted the connection, but " + target
                    + " is a silent target (probe kind silent): nothing it says proves the connection reached it,"
                    + " and a bastion holding a dead session's port is silent too" + local);
            case HTTP -> deadline.outcome(Result.TARGET_SILENT, "the forward is listening on the bastion, but no"
                    + " answer to a HTTP HEAD came back from " + target + " within " + deadline.timeoutText() + local);
            case GREETING -> deadline.outcome(Result.TARGET_SILENT, "the forward is listening on the bastion, but "
                    + target + " sent nothing back within " + deadline.timeoutText() + local);
        };
    }

    /**
     * An sshd answered through the tunnel: the host key it presents on the same connection says whether it is
     * this machine's own sshd.
     */
    private static ProbeOutcome sameMachine(ChannelStream stream, Tunnel tunnel, Evidence evidence, ProbeDeadline deadline) {
        String answered = tunnel.target().map(Object::toString).orElse("the target") + " answered through the tunnel: "
                + evidence.describe();
        Optional<SshPublicKey> presented;
        try {
            presented = PresentedHostKey.read(stream, deadline.remaining());
        } catch (IOException e) {
            return deadline.outcome(Result.TARGET_ANSWERED, answered + " (its host key could not be compared: "
                    + RootCause.messageOrOuter(e) + ")");
        }
        if (presented.isEmpty()) {
            return deadline.outcome(Result.TARGET_ANSWERED, answered + " (it showed no host key in time to compare)");
        }
        SshPublicKey key = presented.get();
        if (tunnel.machineKeys().stream().anyMatch(own -> own.base64().equals(key.base64()))) {
            return deadline.outcome(Result.TARGET_ANSWERED, answered + " (host key " + key + ", this machine's)");
        }
        return deadline.outcome(Result.OTHER_MACHINE, "port " + tunnel.port() + " on the bastion reaches another"
                + " machine (" + key + "), not this one: " + evidence.describe());
    }

    /** A direct-tcpip channel as a byte stream: reads in short slices, watching whether the far end closed. */
    private record ChannelStream(ChannelDirectTcpip channel) implements TargetEvidence.ByteStream {
        @Override
        public void send(byte[] bytes) throws IOException {
            channel.getInvertedIn().write(bytes);
            channel.getInvertedIn().flush();
        }

        /**
         * MINA does not end a direct-tcpip channel's stream at the peer's EOF (only at its close, which OpenSSH
         * sends after both sides' EOF), so the channel's state is watched between short reads.
         */
        @Override
        public int read(byte[] buffer, int offset, int length, Duration wait) throws IOException {
            InputStream in = channel.getInvertedOut();
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                long remaining = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (remaining <= 0) {
                    return 0;
                }
                if (in instanceof ChannelPipedInputStream piped) {
                    piped.setTimeout(Math.min(remaining, READ_SLICE_MILLIS));
                }
                try {
                    return in.read(buffer, offset, length);
                } catch (IOException nothingYet) { // MINA's pipe reports a read timeout as an IOException of its own
                    Set<ClientChannelEvent> state = channel.getChannelState();
                    if (state.contains(ClientChannelEvent.EOF) || state.contains(ClientChannelEvent.CLOSED)) {
                        return -1;
                    }
                }
            }
        }
    }

    private static ProbeOutcome refusedChannel(Throwable failure, int port, String forward, ProbeDeadline deadline) {
        if (failure instanceof SshChannelOpenException refused
                && refused.getReasonCode() == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED) {
            return deadline.outcome(Result.PROBE_REFUSED, "the bastion does not let the tunnel's key open " + forward
                    + " (permitopen=\"localhost:" + port + "\" or AllowTcpForwarding), so the forward cannot be checked");
        }
        return deadline.outcome(Result.FORWARD_MISSING, "the forward is not there: nothing listens on " + forward
                + " (" + RootCause.messageOrOuter(failure) + ")");
    }

    /** Whether the target accepts connections from this machine (where the tunnel's ssh connects from). */
    private static String checkLocally(TargetAddress target, ProbeDeadline deadline) {
        int millis = (int) Math.max(200, Math.min(1000, deadline.remaining().toMillis()));
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port()), millis);
            return "here, " + target + " accepts connections";
        } catch (ConnectException e) {
            return "here, " + target + " refuses connections (is it running?)";
        } catch (UnknownHostException e) {
            return "here, " + target.host() + " does not resolve";
        } catch (IOException e) {
            return "here, connecting to " + target + " failed: " + RootCause.messageOrOuter(e);
        }
    }
}
