package io.scitex.tunnel.cli;

import static io.scitex.tunnel.unit.RunCommandLine.BASTION;
import static io.scitex.tunnel.unit.RunCommandLine.BASTION_SHORT;
import static io.scitex.tunnel.unit.RunCommandLine.DEFAULT_TARGET;
import static io.scitex.tunnel.unit.RunCommandLine.KEY;
import static io.scitex.tunnel.unit.RunCommandLine.KEY_SHORT;
import static io.scitex.tunnel.unit.RunCommandLine.PORT;
import static io.scitex.tunnel.unit.RunCommandLine.PORT_SHORT;
import static io.scitex.tunnel.unit.RunCommandLine.TARGET;

import io.scitex.tunnel.model.BastionAddress;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.TargetAddress;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options that say which tunnel: {@code -p}, {@code -b}, {@code -s} and {@code --target}, shared by
 * {@code setup} and by {@code run}, which runs what setup writes; named as the unit's {@code run} command
 * line names them. {@code -b} and {@code -s} default to environment variables.
 */
public class TunnelOptionsMixin {
    static final String BASTION_VARIABLE = "SCITEX_TUNNEL_BASTION_SERVER";
    static final String KEY_VARIABLE = "SCITEX_TUNNEL_SECRET_KEY_PATH";
    /** The key of {@code -s}'s help, which setup words its own way ({@link SetupCommandHelp}). */
    static final String KEY_HELP = "tunnel.key";

    @Option(names = {PORT_SHORT, PORT}, required = true, paramLabel = "PORT", converter = PortConverter.class,
            description = "Port the bastion listens on (its loopback) for this tunnel, 1-65535.")
    int port;

    @Option(names = {BASTION_SHORT, BASTION}, paramLabel = "[USER@]HOST[:SSHPORT]", converter = BastionConverter.class,
            description = "The bastion to connect to. Default: $" + BASTION_VARIABLE + ".")
    BastionAddress bastion;

    @Option(names = {KEY_SHORT, KEY}, paramLabel = "KEY", descriptionKey = KEY_HELP,
            description = "Private key for the bastion (OpenSSH or PEM: ed25519, ECDSA, RSA). Default: $"
                    + KEY_VARIABLE + ".")
    String key;

    @Option(names = TARGET, paramLabel = "HOST:PORT", defaultValue = DEFAULT_TARGET, converter = TargetConverter.class,
            description = "Where connections to the bastion's port go, from this machine. Default: ${DEFAULT-VALUE}.")
    TargetAddress target;

    int port() {
        return port;
    }

    /** {@code -b}, else {@code $SCITEX_TUNNEL_BASTION_SERVER}, checked alike; an empty variable counts as unset. */
    BastionAddress bastion(Map<String, String> environment) {
        if (bastion != null) {
            return bastion;
        }
        String fromEnvironment = environment.get(BASTION_VARIABLE);
        if (fromEnvironment == null || fromEnvironment.isEmpty()) {
            throw new InvalidInputException("bastion is missing: give -b [USER@]HOST[:SSHPORT] or set " + BASTION_VARIABLE);
        }
        return BastionAddress.parse(fromEnvironment);
    }

    /** {@code -s}, else {@code $SCITEX_TUNNEL_SECRET_KEY_PATH}, as given ({@code ~} is left to the caller). */
    Optional<String> key(Map<String, String> environment) {
        return Optional.ofNullable(key != null ? key : environment.get(KEY_VARIABLE));
    }

    TargetAddress target() {
        return target;
    }
}
