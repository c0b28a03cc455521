package io.scitex.tunnel.model;

import java.util.Optional;

/**
 * Which service manager a tunnel belongs to: the machine's ({@code /etc/systemd/system}, root sets it up, the
 * service runs as the invoking user) or a user's own ({@code ~/.config/systemd/user}, {@code systemctl --user}:
 * no root needed, kept running after logout and started at boot only while the user lingers).
 */
public enum ServiceScope {
    SYSTEM("system", "multi-user.target"),
    USER("user", "default.target");

    private final String label;
    private final String wantedBy;

    ServiceScope(String label, String wantedBy) {
        this.label = label;
        this.wantedBy = wantedBy;
    }

    /** How JSON and tables name the scope: {@code system} or {@code user}. */
    public String label() {
        return label;
    }

    /** The target a tunnel's unit is enabled into: what this service manager starts by itself. */
    public String wantedBy() {
        return wantedBy;
    }

    /** The systemctl command a person types for this scope's units: {@code sudo systemctl}, {@code systemctl --user}. */
    public String systemctlCommand() {
        return this == USER ? "systemctl --user" : "sudo systemctl";
    }

    /** systemctl's and journalctl's flag for this scope, if it has one ({@code --user}). */
    public Optional<String> flag() {
        return this == USER ? Optional.of("--user") : Optional.empty();
    }
}
