package io.scitex.tunnel.demo;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * A bastion in this JVM: an Apache MINA SSH server on 127.0.0.1 that lets one user in with one key, lets
 * them hold ports on its loopback ({@code ssh -R}) and does nothing else — no shell, no commands, no
 * password. It drops a client that stops answering, as OpenSSH with {@code ClientAliveInterval 3} and
 * {@code ClientAliveCountMax 2} does, which frees the client's ports.
 */
public final class EmbeddedBastion implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    private static final Duration CLIENT_ALIVE_INTERVAL = Duration.ofSeconds(3);
    private static final int CLIENT_ALIVE_COUNT = 2;

    private final KeyPair hostKey;
    private final String user;
    private final PublicKey authorizedKey;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();
    private int port;
    private SshServer server;

    private EmbeddedBastion(KeyPair hostKey, String user, PublicKey authorizedKey, int port) {
        this.hostKey = hostKey;
        this.user = user;
        this.authorizedKey = authorizedKey;
        this.port = port;
    }

    /** Starts a bastion on 127.0.0.1:{@code port} (0: any free port) that admits {@code user} with that key. */
    public static EmbeddedBastion start(KeyPair hostKey, String user, PublicKey authorizedKey, int port)
            throws IOException {
        EmbeddedBastion bastion = new EmbeddedBastion(hostKey, user, authorizedKey, port);
        bastion.start();
        return bastion;
    }

    /** Starts it (again, after {@link #stop()}) on the same port. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("the bastion is already running on port " + port);
        }
        SshServer created = SshServer.setUpDefaultServer();
        created.setHost(HOST);
        created.setPort(port);
        created.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        PublickeyAuthenticator keys = new KeySetPublickeyAuthenticator("authorized", List.of(authorizedKey));
        created.setPublickeyAuthenticator((username, key, session) -> user.equals(username)
                && keys.authenticate(username, key, session));
        created.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                connections.incrementAndGet();
            }

            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    logins.incrementAndGet();
                }
            }
        });
        created.setPasswordAuthenticator(null);
        created.setKeyboardInteractiveAuthenticator(null);
        created.setGSSAuthenticator(null);
        created.setHostBasedAuthenticator(null);
        created.setForwardingFilter(new LoopbackForwardsOnly());
        // A client with heartbeats is never idle; a silent one is dropped by the keepalives below.
        CoreModuleProperties.IDLE_TIMEOUT.set(created, Duration.ZERO);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(created, CLIENT_ALIVE_INTERVAL);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(created, CLIENT_ALIVE_COUNT);
        created.start();
        port = created.getPort();
        server = created;
    }

    /** Stops listening and drops every session, with the ports they held. */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.stop(true);
            server = null;
        }
    }

    /** Drops the sessions of now (as a bastion whose sshd child was killed), but keeps listening. */
    public synchronized int dropSessions() {
        if (server == null) {
            return 0;
        }
        List<ServerSession> sessions = List.copyOf(server.getActiveSessions().stream()
                .filter(ServerSession.class::isInstance).map(ServerSession.class::cast).toList());
        sessions.forEach(session -> session.close(true));
        return sessions.size();
    }

    public int port() {
        return port;
    }

    /** Connections it accepted so far, whatever became of them. */
    public int connections() {
        return connections.get();
    }

    /** Public keys it accepted so far: logins of its user with the authorized key. */
    public int logins() {
        return logins.get();
    }

    public String user() {
        return user;
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    public synchronized boolean isRunning() {
        return server != null && server.isStarted();
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
