package io.scitex.tunnel.testing;

import io.scitex.tunnel.demo.Demo;
import io.scitex.tunnel.demo.DemoKeys;
import io.scitex.tunnel.demo.EmbeddedBastion;
import io.scitex.tunnel.ssh.SshPublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * The embedded MINA bastion of {@code scitex-tunnel demo} as a {@link TestBastion}, with keys written by
 * {@link DemoKeys}; like the demo's, it admits exactly one key.
 */
final class EmbeddedTestBastion implements TestBastion {
    private final Path clientKey;
    private final KeyPair hostKey;
    private EmbeddedBastion bastion;
    private int port;

    private EmbeddedTestBastion(Path clientKey, KeyPair hostKey) {
        this.clientKey = clientKey;
        this.hostKey = hostKey;
    }

    static EmbeddedTestBastion start(Path dir) throws IOException {
        Files.createDirectories(dir);
        KeyPair hostKey = DemoKeys.generate(dir.resolve("hostkey"), "test-bastion");
        Path clientKey = dir.resolve("client_key");
        KeyPair client = DemoKeys.generate(clientKey, "test-client");
        EmbeddedTestBastion test = new EmbeddedTestBastion(clientKey, hostKey);
        test.bastion = EmbeddedBastion.start(hostKey, Demo.USER, client.getPublic(), 0);
        test.port = test.bastion.port();
        return test;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return Demo.USER;
    }

    @Override
    public Path clientKey() {
        return clientKey;
    }

    @Override
    public void authorize(Path privateKey) {
        throw new UnsupportedOperationException("the embedded bastion admits exactly one key");
    }

    @Override
    public SshPublicKey hostKey() {
        return DemoKeys.asHostKey(hostKey.getPublic());
    }

    @Override
    public void stop() throws IOException {
        bastion.stop();
    }

    @Override
    public void start() throws IOException {
        bastion.start();
    }

    @Override
    public void killSessionHolding(int forwardedPort) {
        if (bastion.dropSessions() == 0) {
            throw new AssertionError("the embedded bastion had no session to drop");
        }
    }

    @Override
    public int connections() {
        return bastion.connections();
    }

    @Override
    public int logins() {
        return bastion.logins();
    }

    @Override
    public String diagnostics() {
        return "--- embedded bastion on 127.0.0.1:" + port + ": running " + bastion.isRunning() + ", "
                + bastion.connections() + " connections, " + bastion.logins() + " logins";
    }

    @Override
    public void close() throws IOException {
        bastion.close();
    }

    @Override
    public String toString() {
        return "embedded MINA bastion on 127.0.0.1:" + port;
    }
}
