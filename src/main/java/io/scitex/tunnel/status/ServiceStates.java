package io.scitex.tunnel.status;

import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.model.TunnelHealth;
import io.scitex.tunnel.model.TunnelPort;
import io.scitex.tunnel.model.TunnelStatus;
import io.scitex.tunnel.service.ServiceManager;
import io.scitex.tunnel.unit.InstalledUnit;
import io.scitex.tunnel.unit.TunnelEndpoints;
import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The service manager's view of the tunnel units on this machine, all of them with a single query; each unit
 * file is read once.
 */
public final class ServiceStates {
    /** What status reads of each unit: its state, and the drop-ins it was loaded with. */
    private static final List<String> PROPERTIES = Stream.concat(ServiceManager.STATUS_PROPERTIES.stream(),
            Stream.of(UnitDropIns.PROPERTY)).toList();
    private final UnitDirectory units;
    private final UnitDropIns dropIns;
    private final ServiceManager services;
    private final Clock clock;

    public ServiceStates(UnitDirectory units, ServiceManager services, Clock clock) {
        this.units = units;
        this.dropIns = new UnitDropIns(units);
        this.services = services;
        this.clock = clock;
    }

    /** Every tunnel unit, in port order; an active service counts as up. */
    public List<TunnelStatus> all() {
        return read().stream().map(InstalledTunnel::status).toList();
    }

    /** The tunnel on {@code port}; {@link NoSuchTunnelException} if there is none. */
    public TunnelStatus of(int port) {
        return read(port).status();
    }

    /** Whether a tunnel on {@code port} is installed and its service is up. */
    public boolean isUp(int port) {
        return Files.exists(units.path(port)) && all().stream().anyMatch(s -> s.port() == port && s.isUp());
    }

    /** Every tunnel unit with what it says, in port order. */
    public List<InstalledTunnel> read() {
        return read(portSet());
    }

    /** The tunnel on {@code port}, with what its unit says; {@link NoSuchTunnelException} if there is none. */
    public InstalledTunnel read(int port) {
        TunnelPort.check(port);
        if (!portSet().contains(port)) {
            throw new NoSuchTunnelException(port);
        }
        return read(Set.of(port)).get(0);
    }

    private List<InstalledTunnel> read(Set<Integer> ports) {
        if (ports.isEmpty()) {
            return List.of();
        }
        services.requireRunning();
        List<Integer> sorted = ports.stream().sorted().toList();
        Map<String, Map<String, String>> shown;
        try {
            shown = services.show(sorted.stream().map(UnitName::of).toList(), PROPERTIES);
        } catch (IOException e) {
            throw new TunnelException(e.getMessage(), e);
        }
        Instant now = clock.instant();
        return sorted.stream().map(port -> {
            Map<String, String> properties = shown.getOrDefault(UnitName.of(port), Map.of());
            InstalledTunnel tunnel = toTunnel(port, units.installed(port), properties, now);
            return tunnel.withStatus(tunnel.status().withDropIns(dropIns.of(port, properties)));
        }).toList();
    }

    private static InstalledTunnel toTunnel(int port, InstalledUnit unit, Map<String, String> properties, Instant now) {
        TunnelEndpoints endpoints = unit.endpoints();
        String state = properties.getOrDefault("ActiveState", "unknown");
        String subState = properties.getOrDefault("SubState", "unknown");
        TunnelStatus status = new TunnelStatus(port, UnitName.of(port), endpoints.bastion(), endpoints.target(),
                state, subState, parseTimestamp(properties.get("StateChangeTimestamp")),
                parseCount(properties.get("NRestarts")),
                parseTimestamp(properties.get("ExecMainStartTimestamp")),
                TunnelHealth.fromServiceState(state, subState, now));
        return new InstalledTunnel(status, unit);
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

    /** The ports of the tunnel units present, in order. */
    public List<Integer> ports() {
        return portSet().stream().sorted().toList();
    }

    private Set<Integer> portSet() {
        try {
            return units.list().keySet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
