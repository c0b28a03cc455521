package io.scitex.tunnel.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One real {@code ssh -N} client holding remote forwards on an {@link OpenSshBastion}: each a free port on the
 * bastion's loopback leading to a port on 127.0.0.1 here, as a tunnel's ssh holds its forward.
 */
public final class ReverseForwards {
    private ReverseForwards() {}

    /**
     * Starts ssh with one {@code -R} per target port and returns once the bastion listens on every forward.
     *
     * @param ssh         the ssh program
     * @param targetPorts where each forward leads, on 127.0.0.1
     * @param forwards    receives the bastion-side port of each forward, in the order of {@code targetPorts}
     * @param logs        where ssh's output goes
     */
    public static OwnedProcess start(Path ssh, OpenSshBastion bastion, List<Integer> targetPorts, List<Integer> forwards,
                                     Path logs) throws IOException {
        List<String> argv = new ArrayList<>(List.of(ssh.toString(), "-N", "-F", "none",
                "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + bastion.knownHosts(), "-o", "IdentitiesOnly=yes",
                "-i", bastion.clientKey().toString(), "-p", Integer.toString(bastion.port())));
        List<Integer> ports = new ArrayList<>();
        for (int target : targetPorts) {
            // A port just found free and let go of can be found free again: each forward needs its own. (Two
            // forwards of one port make ssh give up on the second, perhaps after the first already listens.)
            int port = Loopback.freePort();
            while (ports.contains(port)) {
                port = Loopback.freePort();
            }
            ports.add(port);
            argv.addAll(List.of("-R", port + ":127.0.0.1:" + target));
        }
        argv.addAll(List.of("-l", System.getProperty("user.name"), "127.0.0.1"));
        OwnedProcess client = OwnedProcess.start("ssh-R", argv, null, logs);
        try {
            await("forwards on " + ports).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!client.isAlive()) {
                            throw new AssertionError(client.describe() + "\n" + bastion.diagnostics());
                        }
                        return ports.stream().allMatch(port -> !Loopback.listeners(port).isEmpty());
                    });
        } catch (RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
        forwards.addAll(ports);
        return client;
    }
}
