package io.scitex.tunnel.ssh;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.model.BastionAddress;
import java.io.IOException;
import java.util.List;

/** Fetches the host keys a bastion presents now, with OpenSSH's {@code ssh-keyscan}. */
public class HostKeyScanner {
    private final CommandRunner runner;
    private final String keyscan;

    public HostKeyScanner(CommandRunner runner, String keyscan) {
        this.runner = runner;
        this.keyscan = keyscan;
    }

    /** The bastion's host keys; empty if it could not be reached or presented none. */
    public List<SshPublicKey> scan(BastionAddress bastion) throws IOException {
        CommandResult result = runner.run(List.of(keyscan, "-T", "5", "-p", Integer.toString(bastion.port()),
                "--", bastion.host()));
        return KnownHosts.parse(result.stdout()).keysFor(bastion.knownHostsName());
    }
}
