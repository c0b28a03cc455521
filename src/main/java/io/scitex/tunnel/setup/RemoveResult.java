package io.scitex.tunnel.setup;

import java.nio.file.Path;
import java.util.List;

/**
 * A tunnel that remove took away.
 *
 * @param port     the tunnel's port
 * @param unit     the unit's name
 * @param deleted  the files deleted (the unit and the tunnel's pinned host keys)
 * @param warnings steps that did not succeed but did not stop the removal (e.g. stopping a unit that had
 *                 never been loaded)
 */
public record RemoveResult(int port, String unit, List<Path> deleted, List<String> warnings) {
    public RemoveResult {
        deleted = List.copyOf(deleted);
        warnings = List.copyOf(warnings);
    }
}
