package io.scitex.tunnel.status;

import io.scitex.tunnel.engine.TunnelStateFile;
import io.scitex.tunnel.host.StateFileLocation;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.EngineReport;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.unit.TunnelUnit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a native tunnel's engine says of itself: its live state file, {@code PORT.json} in the runtime
 * directory systemd makes for the unit ({@code RuntimeDirectory=scitex-tunnel-PORT}). The directory belongs to
 * the service user, so the file is read as the service user's own: a regular file of theirs, read with their
 * rights, never through a link to someone else's file.
 */
public final class EngineStates {
    private static final Logger LOG = LoggerFactory.getLogger(EngineStates.class);
    private final Path run;
    private final ProbeTargets users;

    /**
     * @param run   where the units' runtime directories are: {@code /run} for system units, a user manager's
     *              {@code $XDG_RUNTIME_DIR} for a user's own
     * @param users looks up each unit's service user
     */
    public EngineStates(Path run, ProbeTargets users) {
        this.run = run;
        this.users = users;
    }

    /** The state file of the tunnel on {@code port}. */
    public Path file(int port) {
        return run.resolve(TunnelUnit.runtimeDirectory(port)).resolve(StateFileLocation.fileName(port));
    }

    /**
     * What the engine of {@code tunnel} says, if it runs the native engine and its state file can be read;
     * empty for autossh tunnels, and for a file that is missing, unsafe or not a state file (said with -v).
     */
    public Optional<EngineReport> of(InstalledTunnel tunnel) {
        if (tunnel.unit().engine() != Engine.NATIVE) {
            return Optional.empty();
        }
        Path file = file(tunnel.port());
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            UserFiles files = UserFiles.of(users.serviceUser(users.serviceUserName(tunnel.unit())));
            byte[] content = files.read(file, "engine state file", TunnelStateFile.MAX_BYTES);
            return Optional.of(TunnelStateFile.parse(new String(content, StandardCharsets.UTF_8)));
        } catch (RuntimeException unusable) {
            LOG.debug("tunnel {}: cannot use the engine's state file {}: {}", tunnel.port(), file,
                    Printable.escape(String.valueOf(unusable.getMessage())));
            return Optional.empty();
        }
    }
}
