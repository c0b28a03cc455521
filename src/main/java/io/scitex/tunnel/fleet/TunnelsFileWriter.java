package io.scitex.tunnel.fleet;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.setup.DeclaredTunnel;
import io.scitex.tunnel.setup.SetupRequest;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes declared tunnels as a tunnels file that {@link TunnelsFile#parse} reads back as the same tunnels: only
 * what differs from the defaults, every string a TOML basic string with its special characters escaped.
 */
public final class TunnelsFileWriter {
    private TunnelsFileWriter() {}

    /** {@code comments} come first, each a {@code #} line (their control characters escaped). */
    public static String write(List<DeclaredTunnel> tunnels, List<String> comments) {
        StringBuilder out = new StringBuilder();
        comments.forEach(comment -> out.append("# ").append(Printable.escape(comment)).append('\n'));
        SetupRequest defaults = SetupRequest.builder(1, "-").build();
        for (DeclaredTunnel tunnel : tunnels) {
            SetupRequest request = tunnel.request();
            out.append("\n[[").append("tunnel").append("]]\n");
            field(out, TunnelsFile.Field.PORT, Integer.toString(request.port()));
            field(out, TunnelsFile.Field.BASTION, string(request.bastion()));
            request.target().ifPresent(target -> field(out, TunnelsFile.Field.TARGET, string(target)));
            if (request.engine() != Engine.AUTOSSH) {
                field(out, TunnelsFile.Field.ENGINE, string(request.engine().cliName()));
            }
            request.probe().ifPresent(probe -> field(out, TunnelsFile.Field.PROBE, string(probe.label())));
            tunnel.user().ifPresent(user -> field(out, TunnelsFile.Field.USER, string(user)));
            if (request.key() != null) {
                field(out, TunnelsFile.Field.KEY, string(request.key()));
            }
            request.passphraseFile().ifPresent(file -> field(out, TunnelsFile.Field.PASSPHRASE_FILE, string(file)));
            if (!tunnel.hostKeys().isEmpty()) {
                field(out, TunnelsFile.Field.HOST_KEYS, tunnel.hostKeys().stream()
                        .map(key -> string(key.type() + " " + key.base64())).collect(Collectors.joining(", ", "[", "]")));
            }
            flag(out, TunnelsFile.Field.ACCEPT_NEW, request.acceptNew(), defaults.acceptNew());
            flag(out, TunnelsFile.Field.CHECK, request.networkChecks(), defaults.networkChecks());
            if (!request.verifyWithin().equals(defaults.verifyWithin())) {
                field(out, TunnelsFile.Field.WAIT, Long.toString(request.verifyWithin().toSeconds()));
            }
            flag(out, TunnelsFile.Field.ROLLBACK, request.rollback(), defaults.rollback());
            flag(out, TunnelsFile.Field.FORCE, request.force(), defaults.force());
        }
        return out.toString();
    }

    private static void flag(StringBuilder out, TunnelsFile.Field field, boolean value, boolean byDefault) {
        if (value != byDefault) {
            field(out, field, Boolean.toString(value));
        }
    }

    private static void field(StringBuilder out, TunnelsFile.Field field, String value) {
        out.append(field.key).append(" = ").append(value).append('\n');
    }

    /** A TOML basic string: {@code "} and {@code \} escaped, and every control character as {@code \\uXXXX}. */
    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        value.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}
