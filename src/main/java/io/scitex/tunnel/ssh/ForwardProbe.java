package io.scitex.tunnel.ssh;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Keepalive;
import io.scitex.tunnel.model.ProbeOutcome;
import io.scitex.tunnel.model.ProbeOutcome.HostKeyMismatch;
import io.scitex.tunnel.model.ProbeOutcome.Result;
import io.scitex.tunnel.model.RootCause;
import io.scitex.tunnel.model.TargetAddress;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * {@code localhost:PORT} (where the reverse forward listens) through a direct-tcpip channel, and reads the
 * first bytes the target sends back through the tunnel (an sshd target greets with {@code SSH-2.0-...}).
 * Several tunnels are probed in parallel, each within the same timeout.
 */
public final class ForwardProbe {
    /** The first line of a greeting is enough; longer ones are cut. */
    private static final int MAX_GREETING = 256;
    private static final int SHOWN_GREETING = 80;
    private static final int MAX_PARALLEL = 16;
    /** Between reads, whether the target's end closed is checked this often. */
    private static final long READ_SLICE_MILLIS = 50;

    private final Duration timeout;

    /** @param timeout how long each probe may take, from start to the target's first bytes */
    public ForwardProbe(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
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
     */
    public record Tunnel(int port, BastionAddress bastion, String login, Path key, Path knownHosts,
                         Optional<TargetAddress> target, Optional<Path> passphrase) {}

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
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(tunnels.size(), MAX_PARALLEL), runnable -> {
            Thread thread = new Thread(runnable, "forward-probe");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<ProbeOutcome>> futures = new ArrayList<>();
            tunnels.forEach(tunnel -> futures.add(pool.submit(() -> probe(client, tunnel))));
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
            return new ProbeOutcome(Result.CANNOT_PROBE, "the probe failed: " + RootCause.messageOrOuter(e.getCause()),
                    Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeOutcome(Result.CANNOT_PROBE, "the probe was interrupted", Duration.ZERO);
        }
    }

    /**
     * Probes one tunnel; never throws. The timeout covers the network part (connect, login, forward, the
     * target's answer); loading the key comes first, untimed, so that a cold JVM does not eat into it.
     */
    private ProbeOutcome probe(SshClient client, Tunnel tunnel) {
        Optional<String> unusable = unusableFile(tunnel.key(), "key")
                .or(() -> unusableFile(tunnel.knownHosts(), "pinned host keys"));
        if (unusable.isPresent()) {
            return new ProbeOutcome(Result.CANNOT_PROBE, unusable.get(), Duration.ZERO);
        }
        KeyPair key;
        try {
            key = KeyPairLoader.loadForTunnel(tunnel.key(), tunnel.passphrase());
        } catch (InvalidInputException e) {
            return new ProbeOutcome(Result.CANNOT_PROBE, e.getMessage(), Duration.ZERO);
        }
        return probe(client, key, tunnel, new Deadline(System.nanoTime(), timeout));
    }

    private ProbeOutcome probe(SshClient client, KeyPair key, Tunnel tunnel, Deadline deadline) {
        BastionAddress bastion = tunnel.bastion();
        String where = "the bastion " + bastion.knownHostsName();
        ConnectFuture connecting;
        try {
            connecting = client.connect(tunnel.login(), bastion.host(), bastion.port(),
                    AttributeRepository.ofKeyValuePair(StrictSshClient.KNOWN_HOSTS, tunnel.knownHosts()), null);
            if (!connecting.await(deadline.remaining())) {
                connecting.cancel();
                return deadline.outcome(Result.BASTION_UNREACHABLE, "no answer from " + where + " within " + seconds(timeout));
            }
        } catch (IOException e) {
            return deadline.outcome(Result.BASTION_UNREACHABLE, "cannot reach " + where + ": "
                    + RootCause.messageOrOuter(e));
        }
        if (connecting.getException() != null) {
            return deadline.outcome(Result.BASTION_UNREACHABLE, "cannot reach " + where + ": " + reason(connecting.getException()));
        }
        try (ClientSession session = connecting.getSession()) {
            session.addPublicKeyIdentity(key);
            AuthFuture login = session.auth();
            boolean done = login.await(deadline.remaining());
            HostKeyMismatch mismatch = StrictSshClient.hostKeyMismatch(session).orElse(null);
            if (mismatch != null) {
                return new ProbeOutcome(Result.HOST_KEY_CHANGED, "bastion host key changed — possible man-in-the-middle:"
                        + " expected " + mismatch.expected() + " (pinned in " + tunnel.knownHosts() + "), presented "
                        + mismatch.presented(), deadline.elapsed(), Optional.of(mismatch));
            }
            if (!done) {
                return deadline.outcome(Result.BASTION_UNREACHABLE, where + " did not complete the login within " + seconds(timeout));
            }
            if (!login.isSuccess()) {
                String why = RootCause.messageOrOuter(login.getException());
                return why.contains("did not validate") || why.contains("Server key")
                        ? deadline.outcome(Result.HOST_KEY_UNKNOWN, "the host key of " + where + " is not pinned in "
                                + tunnel.knownHosts() + ", so the tunnel's ssh refuses it too")
                        : deadline.outcome(Result.AUTH_REJECTED, where + " refused the tunnel's key " + tunnel.key()
                                + ": " + why);
            }
            return throughForward(session, tunnel, deadline);
        } catch (IOException e) {
            return deadline.outcome(Result.BASTION_UNREACHABLE, "lost the connection to " + where + ": "
                    + RootCause.messageOrOuter(e));
        }
    }

    private ProbeOutcome throughForward(ClientSession session, Tunnel tunnel, Deadline deadline) throws IOException {
        String forward = "localhost:" + tunnel.port() + " on the bastion";
        try (ChannelDirectTcpip channel = session.createDirectTcpipChannel(new SshdSocketAddress("localhost", 0),
                new SshdSocketAddress("localhost", tunnel.port()))) {
            OpenFuture opening = channel.open();
            if (!opening.await(deadline.remaining())) {
                return deadline.outcome(Result.BASTION_UNREACHABLE, "the bastion did not open " + forward + " within "
                        + seconds(timeout));
            }
            if (opening.getException() != null) {
                return refusedChannel(opening.getException(), tunnel.port(), forward, deadline);
            }
            byte[] greeting = readGreeting(channel, deadline);
            if (greeting == null || greeting.length == 0) {
                boolean closed = greeting != null;
                String target = tunnel.target().map(Object::toString).orElse("the target");
                String local = tunnel.target().map(t -> "; " + checkLocally(t, deadline)).orElse("");
                return closed
                        ? deadline.outcome(Result.TARGET_CLOSED, "the forward is listening on the bastion, but " + target
                                + " closed the tunnelled connection without a word" + local)
                        : deadline.outcome(Result.TARGET_SILENT, "the forward is listening on the bastion, but " + target
                                + " sent nothing back within " + seconds(timeout) + local);
            }
            return deadline.outcome(Result.TARGET_ANSWERED, tunnel.target().map(t -> t + " answered").orElse("the target answered")
                    + " through the tunnel: " + printable(greeting));
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

    /**
     * The first line (or first bytes) the target sends; an empty array when the channel got its EOF before
     * anything came, {@code null} when nothing came before the deadline. MINA does not end a direct-tcpip
     * channel's stream at the peer's EOF (only at its close, which OpenSSH sends after both sides' EOF), so
     * the channel's state is watched between short reads.
     */
    private static byte[] readGreeting(ChannelDirectTcpip channel, Deadline deadline) {
        InputStream in = channel.getInvertedOut();
        byte[] buffer = new byte[MAX_GREETING];
        int length = 0;
        while (length < buffer.length) {
            long remaining = deadline.remaining().toMillis();
            if (remaining <= 0) {
                return length == 0 ? null : Arrays.copyOf(buffer, length);
            }
            if (in instanceof ChannelPipedInputStream piped) {
                piped.setTimeout(Math.min(remaining, READ_SLICE_MILLIS));
            }
            int n;
            try {
                n = in.read(buffer, length, buffer.length - length);
            } catch (IOException nothingYet) { // MINA's pipe reports a read timeout as an IOException of its own
                Set<ClientChannelEvent> state = channel.getChannelState();
                if (state.contains(ClientChannelEvent.EOF) || state.contains(ClientChannelEvent.CLOSED)) {
                    break;
                }
                continue;
            }
            if (n < 0) {
                break;
            }
            length += n;
            for (int i = length - n; i < length; i++) {
                if (buffer[i] == '\n') {
                    return Arrays.copyOf(buffer, length);
                }
            }
        }
        return Arrays.copyOf(buffer, length);
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

    private static Optional<String> unusableFile(Path file, String what) {
        if (!Files.exists(file)) {
            return Optional.of(what + " " + file + " does not exist");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("cannot read the tunnel's " + what + " " + file + ": run with sudo");
        }
        return Optional.empty();
    }

    private static String printable(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline).strip();
        }
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(SHOWN_GREETING)
                .forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.length() == 0 ? "(" + bytes.length + " bytes)" : out.toString();
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

        ProbeOutcome outcome(Result result, String detail) {
            return new ProbeOutcome(result, detail, elapsed());
        }
    }
}
