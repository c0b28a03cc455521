package io.scitex.tunnel.testing;

import io.scitex.tunnel.ssh.SshPublicKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;

/** {@link OpenSshBastion} as a {@link TestBastion}: real sshd, logins counted from its log. */
final class OpenSshTestBastion implements TestBastion {
    private final OpenSshBastion sshd;

    private OpenSshTestBastion(OpenSshBastion sshd) {
        this.sshd = sshd;
    }

    static OpenSshTestBastion start(Path dir) throws Exception {
        Prerequisites.program(OpenSshBastion.SSHD, "install openssh-server");
        Prerequisites.program("ssh-keygen", "install openssh-client");
        Prerequisites.program("ss", "install iproute2");
        OpenSshTestBastion bastion = new OpenSshTestBastion(OpenSshBastion.start(dir));
        bastion.awaitReadinessProbeLogged(0);
        return bastion;
    }

    /**
     * Starting sshd ends with one test connection to it; sshd logs it a moment later. Counting connections
     * is exact only once it did.
     */
    private void awaitReadinessProbeLogged(int before) {
        Awaitility.await("sshd logged the readiness probe").atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20)).until(() -> connections() > before);
    }

    public OpenSshBastion sshd() {
        return sshd;
    }

    @Override
    public int port() {
        return sshd.port();
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public Path clientKey() {
        return sshd.clientKey();
    }

    @Override
    public void authorize(Path privateKey) throws IOException {
        sshd.authorize(OpenSshBastion.publicKeyFile(privateKey));
    }

    @Override
    public SshPublicKey hostKey() throws IOException {
        return sshd.hostKey();
    }

    @Override
    public void stop() {
        sshd.stop();
    }

    @Override
    public void start() throws IOException {
        int before = connections();
        sshd.start();
        awaitReadinessProbeLogged(before);
    }

    @Override
    public void killSessionHolding(int forwardedPort) {
        sshd.killSessionForwarding(forwardedPort);
    }

    @Override
    public int connections() {
        return count(sshd.logText(), "Connection from 127.0.0.1");
    }

    @Override
    public int logins() {
        return count(sshd.logText(), "Accepted publickey");
    }

    @Override
    public String diagnostics() {
        return sshd.diagnostics();
    }

    @Override
    public void close() {
        sshd.close();
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Override
    public String toString() {
        return "OpenSSH sshd on 127.0.0.1:" + port();
    }
}
