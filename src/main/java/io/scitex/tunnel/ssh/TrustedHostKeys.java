package io.scitex.tunnel.ssh;

import java.util.List;

/** The host keys a tunnel will accept from its bastion, and where they came from. */
public record TrustedHostKeys(List<SshPublicKey> keys, HostKeySource source, String origin) {
    public TrustedHostKeys {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no host keys");
        }
    }

    /** The pin file's content: one line per key, under the name ssh will look up. */
    public String knownHostsFile(String hostName) {
        StringBuilder out = new StringBuilder("# Bastion host keys pinned by scitex-tunnel (" + source.name().toLowerCase(java.util.Locale.ROOT)
                + ": " + origin + "). Never edited automatically.\n");
        keys.forEach(key -> out.append(key.knownHostsLine(hostName)).append('\n'));
        return out.toString();
    }
}
