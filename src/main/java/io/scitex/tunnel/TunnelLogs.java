package io.scitex.tunnel;

import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.service.Journal;
import io.scitex.tunnel.service.UnitDirectory;
import io.scitex.tunnel.service.UnitName;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;

/** Streams an installed tunnel's journal, each line as an event. */
final class TunnelLogs {
    private final UnitDirectory units;
    private final Journal journal;

    TunnelLogs(UnitDirectory units, Journal journal) {
        this.units = units;
        this.journal = journal;
    }

    void stream(int port, int lines, boolean follow, Consumer<JournalEvent> sink) {
        TunnelPort.check(port);
        if (!Files.exists(units.path(port))) {
            throw new NoSuchTunnelException(port);
        }
        try {
            int exit = journal.stream(UnitName.of(port), lines, follow, sink);
            if (exit != 0) {
                throw new TunnelException("journalctl exited with " + exit);
            }
        } catch (IOException e) {
            throw new TunnelException("cannot read the journal of " + UnitName.of(port) + ": " + e.getMessage(), e);
        }
    }
}
