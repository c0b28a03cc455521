package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import java.util.Locale;

/** What a status command prints: {@code --format table|json|prometheus}, or {@code --json}. */
enum OutputFormat {
    TABLE, JSON, PROMETHEUS;

    /** The format {@code --json} and {@code --format} ask for; {@code --json} wins. */
    static OutputFormat of(boolean json, String format) {
        if (json) {
            return JSON;
        }
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "table" -> TABLE;
            case "json" -> JSON;
            case "prometheus" -> PROMETHEUS;
            default -> throw new InvalidInputException("--format must be table, json or prometheus, not "
                    + Printable.quoted(format));
        };
    }
}
