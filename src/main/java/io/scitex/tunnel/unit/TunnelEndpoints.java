package io.scitex.tunnel.unit;

import java.util.List;
import java.util.Optional;

/**
 * What an existing tunnel command line connects: the bastion ({@code [user@]host[:port]}), the target
 * of its last {@code -R} forward, the key it logs in with and the known_hosts files it verifies the bastion
 * against. {@link #fromArgv} reads it from either engine's command line; for ssh's it understands units written by
 * other tools (the Python scitex-tunnel) and by hand.
 *
 * @param identityFile    the first key given ({@code -o IdentityFile=WORD} or {@code -i KEY}), unquoted but
 *                        not yet expanded ({@code ~}, {@code %d}...: see {@link SshConfigWords#expandPath})
 * @param knownHostsFiles the files of {@code UserKnownHostsFile}, unquoted, not expanded; empty when the
 *                        command line leaves ssh to its defaults
 */
public record TunnelEndpoints(Optional<String> bastion, Optional<String> target, Optional<String> identityFile,
                              List<String> knownHostsFiles) {
    /** A command line that says nothing. */
    public static final TunnelEndpoints NONE = new TunnelEndpoints(Optional.empty(), Optional.empty());

    public TunnelEndpoints {
        knownHostsFiles = List.copyOf(knownHostsFiles);
    }

    public TunnelEndpoints(Optional<String> bastion, Optional<String> target) {
        this(bastion, target, Optional.empty(), List.of());
    }

    /**
     * Reads a unit's command line, program first: the native engine's {@code scitex-tunnel run} argv
     * ({@link RunCommandLine}), else an autossh or ssh argv ({@link AutosshCommandLine}).
     */
    public static TunnelEndpoints fromArgv(List<String> argv) {
        return RunCommandLine.isRunCommand(argv) ? RunCommandLine.parse(argv) : AutosshCommandLine.parse(argv);
    }

    /** {@code [user@]host[:port]}, the port left out when it is ssh's default; IPv6 hosts in brackets. */
    static String bastion(String host, String user, String port) {
        String userPart = user == null ? "" : user + "@";
        if (port == null || port.equals("22")) {
            return userPart + host;
        }
        return userPart + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
