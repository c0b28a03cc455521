package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.RootCause;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.ssh.TargetEvidence.Evidence;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
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
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.ChannelPipedInputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Checks a tunnel end to end, as someone on the bastion would use it: logs in to the bastion with the
 * tunnel's own key, verifying the bastion against the tunnel's own pinned host keys, opens the bastion's
 * {@code localhost:PORT} (where the reverse forward listens) through a direct-tcpip channel, and looks for
 * evidence that the connection reached the target ({@link TargetEvidence}: a greeting, an answer to a HTTP
 * {@code HEAD}); an sshd on this machine must also present one of this machine's host keys.
 * Several tunnels are probed in parallel, each within the same timeout, at most
 * {@value #HANDSHAKES_PER_BASTION} logging in to one bastion at a time. Every part of a probe has a hard
 * deadline — reading its files, resolving the bastion's name, connecting, the key exchange — past which the
 * probe is given up, so that nothing a tunnel's owner or its bastion does can make {@code status} hang.
 */
public final class ForwardProbe {
    /** Handshakes in flight to one bastion: well below OpenSSH's default MaxStartups (10), leaving room for others. */
    static final int HANDSHAKES_PER_BASTION = 3;
    private static final int MAX_PARALLEL = 16;
    /** Between reads, whether the target's end closed is checked this often. */
    private static final long READ_SLICE_MILLIS = 50;
    /**
     * How much longer than the timeout each stage of a probe (reading its files; the network) may take before
     * it is given up: enough to read a key on a cold JVM and to close what the probe opened.
     */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** The waits before connecting again to a bastion that turned the connection away before its greeting. */
    private static final List<Duration> RETRY_PAUSES = List.of(Duration.ofMillis(50), Duration.ofMillis(150),
            Duration.ofMillis(300), Duration.ofMillis(600));

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
     * over one SSH client, each connection checked against its own tunnel's pins; the outcomes are in the
     * order of {@code tunnels}.
     */
    public List<ProbeOutcome> probeAll(List<Tunnel> tunnels) {
        if (tunnels.isEmpty()) {
            return List.of();
        }
        SshClient client = StrictSshClient.createWithPinsPerConnection(Keepalive.DEFAULT);
        client.start();
        HandshakeSlots slots = new HandshakeSlots(HANDSHAKES_PER_BASTION);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(tunnels.size(), MAX_PARALLEL), runnable -> {
            Thread thread = new Thread(runnable, "forward-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<ProbeOutcome>> futures = new ArrayList<>();
            tunnels.forEach(tunnel -> futures.add(pool.submit(() -> probe(client, slots, tunnel))));
            List<ProbeOutcome> outcomes = new ArrayList<>();
            for (Future<ProbeOutcome> future : futures) {
                outcomes.add(join(future));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
            client.stop();
        }
    }

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
     * Probes one tunnel; never throws, and never takes much longer than its timeout once it may log in.
     * Reading the tunnel's files comes first, on a deadline of its own, so that a cold JVM does not eat into
     * the network's time; then it waits its turn among the probes of the same bastion.
     */
    private ProbeOutcome probe(SshClient client, HandshakeSlots slots, Tunnel tunnel) {
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
                        + tunnel.knownHosts() + ") did not end within " + seconds(bound)
                        + ": is one of them a FIFO, or on a file system that hangs?", Duration.ofNanos(System.nanoTime() - start));
            }
            return probe(client, read.get(), tunnel, slots.slotFor(tunnel.bastion()), bound);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            return cannotProbe(failure instanceof InvalidInputException ? failure.getMessage()
                    : "the probe failed: " + RootCause.messageOrOuter(failure), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return cannotProbe("the probe was interrupted", Duration.ZERO);
        }
    }

    /** The network part, given up at {@code bound} after it got its turn: a name lookup cannot be cut short. */
    private ProbeOutcome probe(SshClient client, Credentials credentials, Tunnel tunnel, HandshakeSlots.Slot slot,
                               Duration bound) throws ExecutionException, InterruptedException {
        String where = "the bastion " + tunnel.bastion().knownHostsName();
        try (slot) {
            slot.acquire();
            Deadline deadline = new Deadline(System.nanoTime(), timeout);
            if (slot.isBastionUnanswering()) {
                return deadline.outcome(Result.BASTION_UNREACHABLE, "no answer from " + where + " within "
                        + seconds(timeout) + " (to the probe of another of its tunnels)");
            }
            return AbandonableCall.within(bound, "forward-probe-network",
                            () -> overNetwork(client, credentials, tunnel, slot, deadline))
                    .orElseGet(() -> {
                        slot.bastionUnanswering();
                        return deadline.outcome(Result.BASTION_UNREACHABLE, "no answer from " + where + " within "
                                + seconds(timeout));
                    });
        }
    }

    /**
     * Logs in and goes through the forward. A bastion that turns the connection away before its greeting — as
     * sshd does beyond its MaxStartups, which counts other clients' connections too — is tried again, within
     * the deadline.
     */
    private ProbeOutcome overNetwork(SshClient client, Credentials credentials, Tunnel tunnel,
                                     HandshakeSlots.Slot slot, Deadline deadline) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Login login = logIn(client, credentials, tunnel, deadline);
            if (login.session() != null) {
                // sshd's listener counts a connection as unauthenticated until a little after the login
                // succeeds; by the time the bastion has opened a channel, the listener has been told.
                try (ClientSession session = login.session()) {
                    return throughForward(session, tunnel, deadline, slot::release);
                } catch (IOException e) {
                    return deadline.outcome(Result.BASTION_UNREACHABLE, "lost the connection to the bastion "
                            + tunnel.bastion().knownHostsName() + ": " + RootCause.messageOrOuter(e));
                }
            }
            slot.release();
            if (login.unanswered()) {
                slot.bastionUnanswering();
            }
            if (!login.retry() || attempt >= RETRY_PAUSES.size()
                    || deadline.remaining().compareTo(RETRY_PAUSES.get(attempt)) <= 0) {
                return login.outcome();
            }
            Thread.sleep(RETRY_PAUSES.get(attempt).toMillis());
            if (!slot.acquire(deadline.remaining())) {
                return login.outcome();
            }
        }
    }

    /**
     * How a login went: the session if it succeeded, else the outcome to report, whether another attempt may
     * succeed, and whether the bastion let the deadline pass without answering.
     */
    private record Login(ClientSession session, ProbeOutcome outcome, boolean retry, boolean unanswered) {
        static Login failed(ProbeOutcome outcome) {
            return new Login(null, outcome, false, false);
        }
    }

    private Login logIn(SshClient client, Credentials credentials, Tunnel tunnel, Deadline deadline) {
        BastionAddress bastion = tunnel.bastion();
        String where = "the bastion " + bastion.knownHostsName();
        ConnectFuture connecting;
        try {
            connecting = client.connect(tunnel.login(), bastion.host(), bastion.port(),
                    AttributeRepository.ofKeyValuePair(StrictSshClient.KNOWN_HOSTS, credentials.pins()), null);
            if (!connecting.await(deadline.remaining())) {
                connecting.cancel();
                return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, "no answer from " + where
                        + " within " + seconds(timeout)), false, true);
            }
        } catch (IOException e) {
            return Login.failed(deadline.outcome(Result.BASTION_UNREACHABLE, "cannot reach " + where + ": "
                    + RootCause.messageOrOuter(e)));
        }
        Throwable notConnected = connecting.getException();
        if (notConnected != null) {
            Throwable root = RootCause.of(notConnected);
            if (root instanceof ConnectException || root instanceof UnknownHostException
                    || root instanceof NoRouteToHostException) {
                return Login.failed(deadline.outcome(Result.BASTION_UNREACHABLE, "cannot reach " + where + ": "
                        + reason(notConnected)));
            }
            // The connection was made, and closed before MINA could start on it: as sshd does beyond MaxStartups.
            return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, where + " closed the connection at once"
                    + " (too many unauthenticated connections: MaxStartups?): " + RootCause.messageOrOuter(notConnected)),
                    true, false);
        }
        ClientSession session = connecting.getSession();
        try {
            session.addPublicKeyIdentity(credentials.key());
            AuthFuture login = session.auth();
            boolean done = login.await(deadline.remaining());
            Login failed = refusal(session, tunnel, where, done ? login : null, deadline);
            if (failed == null) {
                return new Login(session, null, false, false);
            }
            session.close(true);
            return failed;
        } catch (IOException | RuntimeException e) {
            session.close(true);
            return Login.failed(deadline.outcome(Result.BASTION_UNREACHABLE, "lost the connection to " + where + ": "
                    + RootCause.messageOrOuter(e)));
        }
    }

    /**
     * Why a login did not succeed, from the most telling sign to the least: a changed host key, a handshake
     * that never got as far as authentication (not an SSH server, or one that dropped us), time running out,
     * an unpinned host key, and last a refused key. {@code null} if it succeeded.
     *
     * @param login the finished login, {@code null} if it did not finish in time
     */
    private Login refusal(ClientSession session, Tunnel tunnel, String where, AuthFuture login, Deadline deadline) {
        if (login != null && login.isSuccess()) {
            return null;
        }
        HostKeyMismatch mismatch = StrictSshClient.hostKeyMismatch(session).orElse(null);
        if (mismatch != null) {
            return Login.failed(deadline.outcome(new ProbeOutcome(Result.HOST_KEY_CHANGED,
                    "bastion host key changed — possible man-in-the-middle: expected " + mismatch.expected()
                            + " (pinned in " + tunnel.knownHosts() + "), presented " + mismatch.presented(),
                    Duration.ZERO, Optional.of(mismatch))));
        }
        Throwable failure = login == null ? null : login.getException();
        Optional<SshHandshake.Failure> handshake = SshHandshake.failure(session, where, failure, timeout);
        if (handshake.isPresent()) {
            return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, handshake.get().reason()),
                    handshake.get().busy(), login == null);
        }
        if (login == null) {
            return new Login(null, deadline.outcome(Result.BASTION_UNREACHABLE, where
                    + " did not complete the login within " + seconds(timeout)), false, true);
        }
        String why = RootCause.messageOrOuter(failure);
        return Login.failed(StrictSshClient.hostKeyRefusal(session).isPresent() || why.contains("did not validate")
                || why.contains("Server key")
                ? deadline.outcome(Result.HOST_KEY_UNKNOWN, "the host key of " + where + " is not pinned in "
                        + tunnel.knownHosts() + ", so the tunnel's ssh refuses it too")
                : deadline.outcome(Result.AUTH_REJECTED, where + " refused the tunnel's key " + tunnel.key()
                        + ": " + why));
    }

    /** Opens the bastion's end of the forward, says so to {@code opened}, and reads what the target sends. */
    private ProbeOutcome throughForward(ClientSession session, Tunnel tunnel, Deadline deadline, Runnable opened)
            throws IOException {
        String forward = "localhost:" + tunnel.port() + " on the bastion";
        try (ChannelDirectTcpip channel = session.createDirectTcpipChannel(new SshdSocketAddress("localhost", 0),
                new SshdSocketAddress("localhost", tunnel.port()))) {
            OpenFuture opening = channel.open();
            boolean answered = opening.await(deadline.remaining());
            opened.run();
            if (!answered) {
                return deadline.outcome(Result.BASTION_UNREACHABLE, "the bastion did not open " + forward + " within "
                        + seconds(timeout));
            }
            if (opening.getException() != null) {
                return refusedChannel(opening.getException(), tunnel.port(), forward, deadline);
            }
            ChannelStream stream = new ChannelStream(channel);
            Evidence evidence = TargetEvidence.gather(stream, tunnel.kind(), deadline.remaining());
            String target = tunnel.target().map(Object::toString).orElse("the target");
            if (evidence.found() == TargetEvidence.Found.ANSWERED) {
                return evidence.isSshGreeting() && !tunnel.machineKeys().isEmpty()
                        ? sameMachine(stream, tunnel, evidence, deadline)
                        : deadline.outcome(Result.TARGET_ANSWERED, target + " answered through the tunnel: "
                                + evidence.describe());
            }
            // No answer through the tunnel: whether the target accepts connections here says where the fault is.
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
                        + " answer to a HTTP HEAD came back from " + target + " within " + seconds(timeout) + local);
                case GREETING -> deadline.outcome(Result.TARGET_SILENT, "the forward is listening on the bastion, but "
                        + target + " sent nothing back within " + seconds(timeout) + local);
            };
        }
    }

    /**
     * An sshd answered through the tunnel: the host key it presents on the same connection says whether it is
     * this machine's own sshd.
     */
    private static ProbeOutcome sameMachine(ChannelStream stream, Tunnel tunnel, Evidence evidence, Deadline deadline) {
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

    private static ProbeOutcome refusedChannel(Throwable failure, int port, String forward, Deadline deadline) {
        if (failure instanceof SshChannelOpenException refused
                && refused.getReasonCode() == SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED) {
            return deadline.outcome(Result.PROBE_REFUSED, "the bastion does not let the tunnel's key open " + forward
                    + " (permitopen=\"localhost:" + port + "\" or AllowTcpForwarding), so the forward cannot be checked");
        }
        return deadline.outcome(Result.FORWARD_MISSING, "the forward is not there: nothing listens on " + forward
                + " (" + RootCause.messageOrOuter(failure) + ")");
    }

    /** Whether the target accepts connections from this machine (where the tunnel's ssh connects from). */
    private static String checkLocally(TargetAddress target, Deadline deadline) {
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

    private static String reason(Throwable failure) {
        Throwable root = RootCause.of(failure);
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof UnknownHostException) {
            return "the name does not resolve";
        }
        return RootCause.messageOrOuter(failure);
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }

    /** When a probe started and how long it may take. */
    private record Deadline(long startNanos, Duration timeout) {
        Duration remaining() {
            Duration left = timeout.minus(elapsed());
            return left.isNegative() ? Duration.ZERO : left;
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        /** What was found, as far as now; the detail escaped, since it quotes what the network said. */
        ProbeOutcome outcome(Result result, String detail) {
            return new ProbeOutcome(result, Printable.escape(detail), elapsed());
        }

        ProbeOutcome outcome(ProbeOutcome found) {
            return new ProbeOutcome(found.result(), Printable.escape(found.detail()), elapsed(), found.hostKey());
        }
    }
}
