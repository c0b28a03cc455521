package io.scitex.tunnel.unit;

import io.scitex.tunnel.host.FileOwner;
import io.scitex.tunnel.host.FileOwners;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.ToolInstallation;
import io.scitex.tunnel.model.InvalidInputException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a tunnel's service may run this installation's code: the one place that decides it, for every
 * unit that runs {@code scitex-tunnel run}. A service runs the launcher, the jar and java for months, restarted
 * by systemd, often as root: each must be visible inside the unit's sandbox (not below {@code /tmp},
 * {@code /var/tmp} or a home, which it hides), and neither it nor a directory above it may be changed by
 * anyone but root and the service's own user. Otherwise setup refuses, before anything is written, and says
 * to install the package (whose {@code /usr/bin/scitex-tunnel} is root's and stays at one path).
 */
public final class ServiceCode {
    /** What a refusal tells the user to do. */
    public static final String INSTALL_THE_PACKAGE = "install the package (sudo apt install ./scitex-tunnel_*.deb)"
            + " and run setup with /usr/bin/scitex-tunnel";
    private static final int ROOT = 0;
    private final FileOwners owners;

    public ServiceCode(FileOwners owners) {
        this.owners = owners;
    }

    /** Throws, with one line naming the file and why, unless a service run as {@code user} may run {@code tool}. */
    public void requireRunnable(ToolInstallation tool, ServiceUser user) {
        for (Path file : tool.code()) {
            Path absolute = owners.real(file);
            Optional<Map.Entry<Path, String>> hidden = TunnelUnit.hiddenBy(absolute);
            if (hidden.isPresent()) {
                throw refusal(user, absolute, "which its sandbox hides (" + hidden.get().getValue() + " replaces "
                        + hidden.get().getKey() + ")");
            }
            for (Path path = absolute; path != null; path = path.getParent()) {
                Optional<FileOwner> owner = owners.of(path);
                if (owner.isEmpty()) {
                    throw refusal(user, absolute, "and " + path + " cannot be read to check who may change it");
                }
                if (owner.get().uid() != ROOT && owner.get().uid() != user.uid()) {
                    throw refusal(user, absolute, "and " + path + " belongs to uid " + owner.get().uid()
                            + ", who could change what it runs");
                }
                if (owner.get().othersMayChange()) {
                    throw refusal(user, absolute, "and " + path + " may be changed by its group or others (mode "
                            + Integer.toOctalString(owner.get().mode() & 07777) + ")");
                }
            }
        }
    }

    private static InvalidInputException refusal(ServiceUser user, Path file, String why) {
        return new InvalidInputException("the native engine's service (as " + user.name() + ") would run " + file
                + ", " + why + ": " + INSTALL_THE_PACKAGE);
    }
}
