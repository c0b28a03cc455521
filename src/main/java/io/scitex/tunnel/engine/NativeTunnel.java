package io.scitex.tunnel.engine;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.ssh.KeyPairLoader;
import io.scitex.tunnel.ssh.KnownHosts;
import io.scitex.tunnel.ssh.StrictSshClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * A reverse tunnel kept alive in this JVM, without ssh or autossh: connections to {@code localhost:PORT} on
 * the bastion reach the target, for as long as the tunnel is open. It reconnects by itself, with backoff,
 * after the link or the bastion fails.
 *
 * <pre>{@code
 * try (NativeTunnel tunnel = NativeTunnel.start(spec, TunnelOptions.of(knownHosts), state -> ...)) {
 *     tunnel.awaitUp(Duration.ofSeconds(10));
 *     EngineState state = tunnel.state();
 * }
 * }</pre>
 *
 * Its threads are daemons: whoever starts a tunnel keeps the JVM running for as long as it should live.
 */
public final class NativeTunnel implements AutoCloseable {
    private static final Duration STOP_BOUND = Duration.ofSeconds(10);
    private static final Duration STATE_FILE_REFRESH = Duration.ofSeconds(1);

    private final SshClient client;
    private final StateTracker states;
    private final ReconnectLoop loop;
    private final Thread thread;
    private final ScheduledExecutorService refresher;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeTunnel(SshClient client, StateTracker states, ReconnectLoop loop, Thread thread,
                         ScheduledExecutorService refresher) {
        this.client = client;
        this.states = states;
        this.loop = loop;
        this.thread = thread;
        this.refresher = refresher;
    }

    /**
     * Starts the tunnel and returns at once; the first connection is made in the background. What can never
     * work is refused here, as {@link InvalidInputException}: a key that cannot be read (or decrypted), a
     * known_hosts file without a pinned key for the bastion.
     */
    public static NativeTunnel start(TunnelSpec spec, TunnelOptions options, TunnelListener listener) {
        KeyPair key = KeyPairLoader.loadForTunnel(spec.key(), options.passphraseFile());
        requirePinnedHostKey(options.knownHosts(), spec);
        Clock clock = Clock.systemUTC();
        // A connection that reached the target is written to the state file at once: status takes it as evidence.
        AtomicReference<Runnable> onOpened = new AtomicReference<>(() -> {});
        Traffic traffic = new Traffic(() -> onOpened.get().run());
        StateTracker states = new StateTracker(spec, listener, traffic,
                options.stateFile().map(file -> new TunnelStateFile(file, spec, clock)), clock);

        SshClient client = StrictSshClient.create(options.knownHosts(), spec.keepalive());
        client.setForwardingFilter(new OnlyOurForward(spec.target()));
        client.setChannelFactories(List.of(new RelayedChannelFactory(traffic)));
        CoreModuleProperties.FORWARD_REQUEST_TIMEOUT.set(client, options.connectTimeout());
        // Tunnelled connections are mostly interactive (ssh sessions): without TCP_NODELAY, Nagle's algorithm
        // and delayed ACKs hold small writes back for tens of milliseconds, on the session and the target alike.
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();

        RandomGenerator random = RandomGenerator.getDefault();
        ReconnectLoop loop = new ReconnectLoop(client, spec, options, key, states,
                new Backoff(options.reconnect(), random), new Backoff(options.forwardRetry(), random), clock);
        Thread thread = new Thread(loop, "scitex-tunnel-" + spec.port());
        thread.setDaemon(true);
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "scitex-tunnel-" + spec.port() + "-state");
            t.setDaemon(true);
            return t;
        });
        states.started();
        thread.start();
        if (options.stateFile().isPresent()) {
            long every = STATE_FILE_REFRESH.toMillis();
            refresher.scheduleWithFixedDelay(states::refreshStateFile, every, every, TimeUnit.MILLISECONDS);
            onOpened.set(() -> {
                try {
                    refresher.execute(states::refreshStateFile);
                } catch (RejectedExecutionException closing) {
                    // the tunnel is closing: its state file goes with it
                }
            });
        }
        return new NativeTunnel(client, states, loop, thread, refresher);
    }

    /** How the tunnel is doing now, with its traffic so far. */
    public EngineState state() {
        return states.current();
    }

    /** Waits until the tunnel is up, at most {@code timeout}; returns whether it is. */
    public boolean awaitUp(Duration timeout) throws InterruptedException {
        return states.awaitUp(timeout);
    }

    /** Gives up the forward, ends the session and stops reconnecting; returns when all of it is done. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        loop.stop();
        refresher.shutdown(); // a write under way completes; no further one starts
        try {
            refresher.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            thread.join(STOP_BOUND.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.stop();
        } catch (RuntimeException alreadyStopping) {
            // stopping is all that is left to do
        }
    }

    /**
     * Refuses to start without a pinned key for the bastion: such a tunnel could never connect, and the
     * reason is clearer now than as a refused host key on every attempt.
     */
    private static void requirePinnedHostKey(Path knownHosts, TunnelSpec spec) {
        String name = spec.bastion().knownHostsName();
        String text;
        try {
            text = Files.readString(knownHosts, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("known_hosts file " + knownHosts + " does not exist: " + pinHint(spec));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read known_hosts file " + knownHosts + ": " + e.getMessage());
        }
        if (KnownHosts.parse(text).keysFor(name).isEmpty()) {
            throw new InvalidInputException("no host key of bastion " + name + " is pinned in " + knownHosts + ": "
                    + pinHint(spec));
        }
    }

    private static String pinHint(TunnelSpec spec) {
        return "`scitex-tunnel setup` pins it; or connect once by hand to check and store it ("
                + spec.bastion().sshCommand() + ") and give --known-hosts ~/.ssh/known_hosts";
    }
}
