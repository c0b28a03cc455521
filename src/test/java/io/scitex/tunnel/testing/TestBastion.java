package io.scitex.tunnel.testing;

import io.scitex.tunnel.ssh.SshPublicKey;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A bastion a test owns, of either kind the native engine must work with: real OpenSSH or the embedded
 * MINA bastion of {@code scitex-tunnel demo}. Both listen on 127.0.0.1 and drop silent clients quickly.
 */
public interface TestBastion extends AutoCloseable {
    /** The kinds, for parameterized tests. */
    enum Kind {
        OPENSSH, EMBEDDED;

        public TestBastion start(Path dir) throws Exception {
            return this == OPENSSH ? OpenSshTestBastion.start(dir) : EmbeddedTestBastion.start(dir);
        }
    }

    int port();

    /** The login the client key is authorized for. */
    String user();

    /** A private key (mode 0600) the bastion accepts for {@link #user()}. */
    Path clientKey();

    /** Lets another key in (its {@code .pub} next to it). */
    void authorize(Path privateKey) throws IOException;

    SshPublicKey hostKey() throws IOException;

    /** Stops listening and ends every session, as a reboot does. */
    void stop() throws IOException;

    /** Starts again on the same port with the same keys. */
    void start() throws IOException;

    /** Ends the session that holds {@code forwardedPort}, as when the bastion kills it; the bastion stays up. */
    void killSessionHolding(int forwardedPort) throws IOException;

    /** Connections accepted so far. */
    int connections();

    /** Successful logins so far. */
    int logins();

    String diagnostics();

    @Override
    void close() throws IOException;
}
