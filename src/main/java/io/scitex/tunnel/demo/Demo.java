package io.scitex.tunnel.demo;

import io.scitex.tunnel.engine.EngineState;
import io.scitex.tunnel.engine.NativeTunnel;
import io.scitex.tunnel.engine.TunnelListener;
import io.scitex.tunnel.engine.TunnelOptions;
import io.scitex.tunnel.host.PrivateFile;
import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.TargetAddress;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelSpec;
import io.scitex.tunnel.ssh.SshPublicKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A complete tunnel on this machine: an {@link EmbeddedBastion} with a fresh host key, a fresh client key
 * it authorizes, a target, and a {@link NativeTunnel} between them, all in a private temporary directory
 * that {@link #close()} deletes. {@link #prove()} sends a connection the way a bastion user would.
 */
public final class Demo implements AutoCloseable {
    /** The login on the embedded bastion. */
    public static final String USER = "tunnel";
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(5);

    private final Path directory;
    private EmbeddedBastion bastion;
    private DemoTarget ownTarget;
    private TargetAddress target;
    private TunnelSpec spec;
    private NativeTunnel tunnel;
    private Duration timeToUp;

    private Demo(Path directory) {
        this.directory = directory;
    }

    /**
     * Sets everything up and waits, at most {@code upTimeout}, until the tunnel is up.
     *
     * @param externalTarget where the tunnel leads instead of the demo's own target (a service that speaks
     *                       first, such as sshd)
     */
    public static Demo start(Optional<TargetAddress> externalTarget, Duration upTimeout)
            throws IOException, InterruptedException {
        Demo demo = new Demo(Files.createTempDirectory("scitex-tunnel-demo-",
                PosixFilePermissions.asFileAttribute(PrivateFile.DIRECTORY_MODE)));
        try {
            demo.setUp(externalTarget, upTimeout);
            return demo;
        } catch (IOException | InterruptedException | RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    private void setUp(Optional<TargetAddress> externalTarget, Duration upTimeout) throws IOException, InterruptedException {
        KeyPair hostKey = DemoKeys.generate(directory.resolve("bastion_ed25519_host_key"), "scitex-tunnel-demo-bastion");
        Path clientKeyFile = directory.resolve("tunnel_ed25519");
        KeyPair clientKey = DemoKeys.generate(clientKeyFile, "scitex-tunnel-demo-tunnel");
        bastion = EmbeddedBastion.start(hostKey, USER, clientKey.getPublic(), 0);
        BastionAddress address = BastionAddress.parse(USER + "@" + EmbeddedBastion.HOST + ":" + bastion.port());
        Path knownHosts = directory.resolve("known_hosts");
        Files.writeString(knownHosts, hostKey().knownHostsLine(address.knownHostsName()) + "\n", StandardCharsets.UTF_8);
        if (externalTarget.isPresent()) {
            target = externalTarget.get();
        } else {
            ownTarget = DemoTarget.start();
            target = new TargetAddress(EmbeddedBastion.HOST, ownTarget.port());
        }
        spec = TunnelSpec.builder().port(freeLoopbackPort()).bastion(address).target(target).key(clientKeyFile)
                .serviceUser(System.getProperty("user.name")).build();
        long started = System.nanoTime();
        tunnel = NativeTunnel.start(spec, TunnelOptions.of(knownHosts).withStateFile(stateFile()), TunnelListener.NONE);
        if (!tunnel.awaitUp(upTimeout)) {
            throw new TunnelException("the demo tunnel did not come up within " + upTimeout.toSeconds() + " s: "
                    + tunnel.state().lastError().orElse(tunnel.state().phase().label()));
        }
        timeToUp = Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Connects to the bastion's forwarded port, as a user on the bastion would, and checks the answer: the
     * demo's own target must greet and echo a random line; another target must greet as it greets a direct
     * connection.
     */
    public PathProof prove() throws IOException {
        long started = System.nanoTime();
        try (Socket socket = connect(EmbeddedBastion.HOST, spec.port())) {
            BufferedReader in = reader(socket);
            String answer = in.readLine();
            if (answer == null) {
                throw new IOException("the connection through the tunnel closed without an answer");
            }
            if (ownTarget == null) {
                String direct = firstLine(target.host(), target.port());
                if (!answer.equals(direct)) {
                    throw new IOException("through the tunnel the target said '" + answer + "', directly '" + direct + "'");
                }
                return new PathProof(answer, false, Duration.ofNanos(System.nanoTime() - started));
            }
            if (!DemoTarget.BANNER.equals(answer)) {
                throw new IOException("expected the target's greeting '" + DemoTarget.BANNER + "', got '" + answer + "'");
            }
            String token = "scitex-tunnel-demo-" + UUID.randomUUID();
            socket.getOutputStream().write((token + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            String echoed = in.readLine();
            if (!token.equals(echoed)) {
                throw new IOException("the target did not echo '" + token + "' through the tunnel (got '" + echoed + "')");
            }
            return new PathProof(answer, true, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    public EngineState state() {
        return tunnel.state();
    }

    public Duration timeToUp() {
        return timeToUp;
    }

    public TunnelSpec spec() {
        return spec;
    }

    public int bastionPort() {
        return bastion.port();
    }

    public SshPublicKey hostKey() {
        return DemoKeys.asHostKey(bastion.hostKey().getPublic());
    }

    public Path stateFile() {
        return directory.resolve("state.json");
    }

    /** Stops the tunnel, the bastion and the target, and deletes the keys and every other file. */
    @Override
    public void close() throws IOException {
        if (tunnel != null) {
            tunnel.close();
        }
        if (bastion != null) {
            bastion.close();
        }
        if (ownTarget != null) {
            ownTarget.close();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(Demo::delete);
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(EmbeddedBastion.HOST))) {
            return probe.getLocalPort();
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), (int) IO_TIMEOUT.toMillis());
        socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String firstLine(String host, int port) throws IOException {
        try (Socket socket = connect(host, port)) {
            return reader(socket).readLine();
        }
    }
}
