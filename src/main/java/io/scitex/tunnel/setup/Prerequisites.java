package io.scitex.tunnel.setup;

import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.model.Availability;
import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.Prerequisite;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.service.ServiceManager;
import java.util.ArrayList;
import java.util.List;

/** Says what this machine lacks to run tunnels on an engine, and refuses to go on without it. */
public final class Prerequisites {
    private static final Prerequisite SYSTEMD = new Prerequisite("systemd",
            "tunnels run as systemd services, and systemd is not running here: use a machine booted with systemd");
    private static final Prerequisite AUTOSSH = new Prerequisite("autossh",
            "install autossh: sudo apt install autossh (Debian/Ubuntu), sudo dnf install autossh (Fedora)");
    private static final Prerequisite SSH = new Prerequisite("ssh",
            "install the OpenSSH client: sudo apt install openssh-client (Debian/Ubuntu), sudo dnf install openssh-clients (Fedora)");

    private final Programs programs;
    private final ServiceManager services;

    public Prerequisites(Programs programs, ServiceManager services) {
        this.programs = programs;
        this.services = services;
    }

    /** systemd always; autossh and the OpenSSH client for autossh (the native engine needs neither). */
    public Availability missing(Engine engine) {
        List<Prerequisite> missing = new ArrayList<>();
        if (!services.isRunning() || programs.find("systemctl").isEmpty()) {
            // A user's manager that does not run is told apart from a machine without systemd.
            missing.add(programs.find("systemctl").isPresent() && !services.notRunningMessage().equals(ServiceManager.NOT_RUNNING)
                    ? new Prerequisite("systemd", services.notRunningMessage()) : SYSTEMD);
        }
        if (engine == Engine.AUTOSSH && programs.find("autossh").isEmpty()) {
            missing.add(AUTOSSH);
        }
        if (engine == Engine.AUTOSSH && (programs.find("ssh").isEmpty() || programs.find("ssh-keyscan").isEmpty())) {
            missing.add(SSH);
        }
        return new Availability(missing);
    }

    /** Throws, with the fix, for the first thing setup on {@code engine} lacks; {@code acceptNew} adds ssh-keyscan. */
    void require(Engine engine, boolean acceptNew) {
        Availability availability = missing(engine);
        if (availability.isAvailable() && acceptNew && programs.find("ssh-keyscan").isEmpty()) {
            availability = new Availability(List.of(SSH)); // --accept-new fetches the host key with ssh-keyscan
        }
        if (!availability.isAvailable()) {
            Prerequisite first = availability.missing().get(0);
            throw new TunnelException(first.name() + " is missing: " + first.fix());
        }
    }
}
