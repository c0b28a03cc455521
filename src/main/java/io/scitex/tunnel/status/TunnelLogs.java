package io.scitex.tunnel.status;

import io.scitex.tunnel.model.JournalEvent;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.service.JournalReader;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;

/** Streams an installed tunnel's journal, each line as an event. */
public final class TunnelLogs {
    private final UnitDirectory units;
    private final JournalReader journal;

    public TunnelLogs(UnitDirectory units, JournalReader journal) {
        this.units = units;
        this.journal = journal;
    }

    /** The last {@code lines} lines, then with {@code follow} new ones until the journal reader ends. */
    public void stream(int port, int lines, boolean follow, Consumer<JournalEvent> sink) {
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
