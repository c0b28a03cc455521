package io.scitex.tunnel;

import io.scitex.tunnel.engine.TunnelEndpoints;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.Systemctl;
import io.scitex.tunnel.service.UnitDirectory;
import io.scitex.tunnel.service.UnitName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/** Reads systemd's view of the tunnel units on this machine, all of them with a single {@code systemctl show}. */
final class TunnelStatuses {
    private final UnitDirectory units;
    private final Systemctl systemctl;

    TunnelStatuses(UnitDirectory units, Systemctl systemctl) {
        this.units = units;
        this.systemctl = systemctl;
    }

    /** Every tunnel unit, in port order; an active service counts as up. */
    List<TunnelStatus> all() {
        SortedMap<Integer, Path> files = listUnits();
        if (files.isEmpty()) {
            return List.of();
        }
        Prerequisites.requireSystemd();
        List<String> names = files.keySet().stream().map(UnitName::of).toList();
        Map<String, Map<String, String>> shown;
        try {
            shown = systemctl.show(names, Systemctl.STATUS_PROPERTIES);
        } catch (IOException e) {
            throw new TunnelException(e.getMessage(), e);
        }
        Instant now = Instant.now();
        return files.entrySet().stream()
                .map(e -> toStatus(e.getKey(), e.getValue(), shown.getOrDefault(UnitName.of(e.getKey()), Map.of()), now))
                .toList();
    }

    /** The tunnel on {@code port}; {@link NoSuchTunnelException} if there is none. */
    TunnelStatus of(int port) {
        TunnelPort.check(port);
        return all().stream().filter(s -> s.port() == port).findFirst()
                .orElseThrow(() -> new NoSuchTunnelException(port));
    }

    /** Whether a tunnel on {@code port} is installed and its service is up. */
    boolean isUp(int port) {
        return Files.exists(units.path(port)) && all().stream().anyMatch(s -> s.port() == port && s.isUp());
    }

    private TunnelStatus toStatus(int port, Path file, Map<String, String> properties, Instant now) {
        TunnelEndpoints endpoints = UnitFacts.read(file).endpoints();
        String state = properties.getOrDefault("ActiveState", "unknown");
        String subState = properties.getOrDefault("SubState", "unknown");
        return new TunnelStatus(port, UnitName.of(port), endpoints.bastion(), endpoints.target(), state, subState,
                parseTimestamp(properties.get("StateChangeTimestamp")),
                parseCount(properties.get("NRestarts")),
                parseTimestamp(properties.get("ExecMainStartTimestamp")),
                TunnelHealth.fromServiceState(state, subState, now));
    }

    /** systemctl prints {@code @SECONDS} with {@code --timestamp=unix}, and nothing for "never". */
    static Optional<Instant> parseTimestamp(String value) {
        if (value == null || !value.startsWith("@")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.substring(1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int parseCount(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private SortedMap<Integer, Path> listUnits() {
        try {
            return units.list();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
