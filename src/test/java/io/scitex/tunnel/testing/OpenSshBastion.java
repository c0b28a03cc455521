package io.scitex.tunnel.testing;

import static org.awaitility.Awaitility.await;

import io.scitex.tunnel.ssh.SshPublicKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on 127.0.0.1, owned by one test: its own host key, one authorized client key, a
 * known_hosts that pins the host key, and {@code sshd -D} as a child process, stopped by PID. Sessions are
 * dropped quickly by the server when a client goes silent ({@code ClientAliveInterval 3 x 2}).
 */
public final class OpenSshBastion implements AutoCloseable {
    public static final String SSHD = "/usr/sbin/sshd";
    private static final Duration READY = Duration.ofSeconds(15);

    private final Path dir;
    private final int port;
    private final Path config;
    private final Path hostKey;
    private final Path clientKey;
    private final Path authorizedKeys;
    private final Path knownHosts;
    private final Path log;
    private OwnedProcess sshd;

    private OpenSshBastion(Path dir, int port) {
        this.dir = dir;
        this.port = port;
        this.config = dir.resolve("sshd_config");
        this.hostKey = dir.resolve("hostkey");
        this.clientKey = dir.resolve("client_key");
        this.authorizedKeys = dir.resolve("authorized_keys");
        this.knownHosts = dir.resolve("known_hosts");
        this.log = dir.resolve("sshd.log");
    }

    /** Sets up a bastion in {@code dir} (created if needed) on a free port and starts its sshd. */
    public static OpenSshBastion start(Path dir) throws IOException, InterruptedException {
        return start(dir, List.of());
    }

    /** As {@link #start(Path)}, with more {@code sshd_config} lines, e.g. {@code MaxStartups 3:100:3}. */
    public static OpenSshBastion start(Path dir, List<String> moreConfig) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        OpenSshBastion bastion = new OpenSshBastion(dir, Loopback.freePort());
        bastion.configure(moreConfig);
        bastion.start();
        return bastion;
    }

    private void configure(List<String> moreConfig) throws IOException, InterruptedException {
        generateKey(hostKey);
        generateKey(clientKey);
        Files.copy(publicKeyFile(clientKey), authorizedKeys);
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "AuthorizedKeysFile " + authorizedKeys,
                "PasswordAuthentication no",
                "StrictModes no",
                "PidFile " + dir.resolve("sshd.pid"),
                "ClientAliveInterval 3",
                "ClientAliveCountMax 2",
                "LogLevel VERBOSE",
                String.join("\n", moreConfig),
                ""), StandardCharsets.UTF_8);
        Files.writeString(knownHosts, hostKey().knownHostsLine(knownHostsName()) + "\n", StandardCharsets.UTF_8);
    }

    /** Writes a new passphrase-less ed25519 key pair: {@code privateKey} (mode 0600) and {@code privateKey.pub}. */
    public static void generateKey(Path privateKey) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "scitex-tunnel-test",
                "-f", privateKey.toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
            keygen.destroyForcibly();
            throw new IOException("ssh-keygen -f " + privateKey + " failed: " + output);
        }
        Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
    }

    public static Path publicKeyFile(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    /** The key in an OpenSSH public key file ({@code TYPE BLOB [comment]}). */
    public static SshPublicKey readPublicKey(Path publicKeyFile) throws IOException {
        String[] fields = Files.readString(publicKeyFile, StandardCharsets.UTF_8).trim().split("\\s+");
        return new SshPublicKey(fields[0], fields[1]);
    }

    /** Lets the key in {@code publicKeyFile} log in, too. */
    public void authorize(Path publicKeyFile) throws IOException {
        Files.writeString(authorizedKeys, Files.readString(publicKeyFile, StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Appends one line, as given, to the authorized_keys file (sshd reads it at every login), e.g. a key
     * confined by options; the line must not contain a line break.
     */
    public void authorizeLine(String line) throws IOException {
        if (line.contains("\n") || line.contains("\r")) {
            throw new IllegalArgumentException("an authorized_keys line must be one line: " + line);
        }
        Files.writeString(authorizedKeys, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /**
     * Appends {@code lines} to sshd_config, as a bastion's admin would (global settings, or a {@code Match}
     * block: put global ones first, since everything after a {@code Match} line belongs to it), checks the
     * result with {@code sshd -t}, and restarts a running sshd so that new logins get it: sshd reads its
     * configuration once, when it starts.
     */
    public void appendConfig(List<String> lines) throws IOException, InterruptedException {
        Files.writeString(config, String.join("\n", lines) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Process check = new ProcessBuilder(SSHD, "-t", "-f", config.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(30, TimeUnit.SECONDS) || check.exitValue() != 0) {
            check.destroyForcibly();
            throw new IOException("sshd -t rejects " + config + " with " + lines + ": " + output.strip());
        }
        if (sshd != null) {
            restart(Duration.ZERO);
        }
    }

    /**
     * The settings sshd would apply to a login of {@code user} from 127.0.0.1, as {@code sshd -T -C} prints
     * them: lower-case keyword, space, value.
     */
    public List<String> effectiveConfig(String user) throws IOException, InterruptedException {
        Process dump = new ProcessBuilder(SSHD, "-T", "-f", config.toString(),
                "-C", "user=" + user + ",host=localhost,addr=127.0.0.1,laddr=127.0.0.1,lport=" + port)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!dump.waitFor(30, TimeUnit.SECONDS) || dump.exitValue() != 0) {
            dump.destroyForcibly();
            throw new IOException("sshd -T -f " + config + " failed: " + output.strip());
        }
        return output.lines().toList();
    }

    /** The authorized_keys file as sshd reads it. */
    public String authorizedKeysText() throws IOException {
        return Files.readString(authorizedKeys, StandardCharsets.UTF_8);
    }

    /** Starts sshd on this bastion's port and waits until it is the one listening there and accepts. */
    public void start() throws IOException {
        if (sshd != null) {
            throw new IllegalStateException("sshd is already running (pid " + sshd.pid() + ")");
        }
        if ("root".equals(System.getProperty("user.name"))) {
            Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        }
        OwnedProcess started = OwnedProcess.start("sshd",
                List.of(SSHD, "-D", "-f", config.toString(), "-E", log.toString()), null, dir);
        sshd = started;
        try {
            await("sshd listening on 127.0.0.1:" + port).atMost(READY).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!started.isAlive()) {
                            throw new AssertionError("sshd exited while starting\n" + diagnostics());
                        }
                        return Loopback.listenerPids(port).contains(started.pid()) && Loopback.accepts(port);
                    });
        } catch (RuntimeException | AssertionError e) {
            stop();
            throw e;
        }
    }

    /**
     * Stops the bastion like a reboot does: every session it spawned and the listener, all by PID; returns
     * once nothing accepts on its port and no session holds a connection to it.
     */
    public void stop() {
        OwnedProcess listener = sshd;
        if (listener == null) {
            return;
        }
        sshd = null;
        // The sessions of now, while the listener lives to reap them; then the listener, so that no new one
        // can start, and with it any session a client opened in the meantime.
        OwnedProcess.terminateAll(listener.handle().descendants().toList());
        listener.close();
        // A session forked in the instant before the listener died still holds a connection to our port.
        for (long pid : Loopback.connectionPids(port)) {
            ProcessHandle.of(pid)
                    .filter(h -> h.info().command().map(c -> c.endsWith("/sshd")).orElse(false))
                    .ifPresent(OwnedProcess::terminate);
        }
        await("sshd on port " + port + " gone").atMost(READY).pollInterval(Duration.ofMillis(50))
                .until(() -> Loopback.listenerPids(port).isEmpty() && Loopback.connectionPids(port).isEmpty()
                        && !Loopback.accepts(port));
    }

    /** Stops the bastion, waits {@code downtime}, and starts it again on the same port with the same keys. */
    public void restart(Duration downtime) throws IOException, InterruptedException {
        stop();
        Thread.sleep(downtime.toMillis());
        start();
    }

    /**
     * Kills, by PID, the bastion-side session process that listens on {@code forwardedPort} (the sshd child
     * that holds a client's remote forward), and waits until it is gone. Returns its PID.
     */
    public long killSessionForwarding(int forwardedPort) {
        if (sshd == null) {
            throw new IllegalStateException("sshd is not running");
        }
        List<Long> owners = Loopback.listenerPids(forwardedPort);
        if (owners.size() != 1) {
            throw new AssertionError("expected one process listening on forwarded port " + forwardedPort
                    + ", found " + owners + "\n" + diagnostics());
        }
        long pid = owners.get(0);
        ProcessHandle session = sshd.handle().descendants().filter(h -> h.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + pid + " listening on " + forwardedPort
                        + " is not a session of this bastion (sshd pid " + sshd.pid() + ")"));
        OwnedProcess.terminate(session);
        if (!OwnedProcess.isGone(session)) {
            throw new AssertionError("session " + pid + " survived SIGTERM and SIGKILL");
        }
        return pid;
    }

    public int port() {
        return port;
    }

    /** The name ssh looks the bastion up by in known_hosts: {@code [127.0.0.1]:PORT}. */
    public String knownHostsName() {
        return "[127.0.0.1]:" + port;
    }

    /** A private key (mode 0600) that the bastion accepts. */
    public Path clientKey() {
        return clientKey;
    }

    /** A known_hosts file that pins this bastion's host key under {@link #knownHostsName()}. */
    public Path knownHosts() {
        return knownHosts;
    }

    public SshPublicKey hostKey() throws IOException {
        return readPublicKey(publicKeyFile(hostKey));
    }

    /** The PID of the running sshd listener. */
    public long pid() {
        if (sshd == null) {
            throw new IllegalStateException("sshd is not running");
        }
        return sshd.pid();
    }

    /** Whether {@code pid} is a process sshd spawned (a session). */
    public boolean isSession(long pid) {
        return sshd != null && sshd.handle().descendants().anyMatch(h -> h.pid() == pid);
    }

    /** sshd's log ({@code -E}), for assertions and diagnostics. */
    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** For failure messages: the tail of sshd's log. */
    public String diagnostics() {
        return "--- sshd.log of bastion 127.0.0.1:" + port + " (tail):\n" + OwnedProcess.tail(logText(), 40);
    }

    @Override
    public void close() {
        stop();
    }
}
