package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.ServiceScope;
import picocli.CommandLine.Option;

/** {@code --user}: the invoking user's own tunnels (user services) rather than the machine's. */
public class ScopeMixin {
    static final String HELP = "Your own tunnels, without root: units in ~/.config/systemd/user ($XDG_CONFIG_HOME),"
            + " run by your systemd user manager (systemctl --user). They keep running after you log out and start"
            + " at boot only while you linger (loginctl enable-linger; setup checks it).";

    @Option(names = "--user", description = HELP)
    boolean user;

    ServiceScope scope() {
        return user ? ServiceScope.USER : ServiceScope.SYSTEM;
    }

    /** {@code " --user"} when the command runs in user scope: for the commands a message suggests. */
    String flag() {
        return user ? " --user" : "";
    }
}
