package io.scitex.tunnel.setup;

import io.scitex.tunnel.ssh.AuthorizedKeyLine;
import java.nio.file.Path;

/**
 * A tunnel key that keygen created.
 *
 * @param key        the private key (its public half is next to it, {@code KEY.pub})
 * @param owner      the user who owns it, and whom the tunnel will run as
 * @param authorized the line that admits it on the bastion
 */
public record KeygenResult(Path key, String owner, AuthorizedKeyLine authorized) {}
