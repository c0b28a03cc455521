package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Looks up accounts through NSS ({@code getent passwd}), so LDAP and other user databases work too. */
public class Users {
    private final CommandRunner runner;
    private final Map<String, String> environment;

    public Users(CommandRunner runner, Map<String, String> environment) {
        this.runner = runner;
        this.environment = environment;
    }

    /** The invoking user: {@code SUDO_USER} when run through sudo, else the user running this process. */
    public ServiceUser invoking() throws IOException {
        String sudoUser = environment.get("SUDO_USER");
        String name = sudoUser != null && !sudoUser.isEmpty() ? sudoUser : System.getProperty("user.name");
        return lookup(name);
    }

    public ServiceUser lookup(String name) throws IOException {
        CommandResult result = runner.run(List.of("getent", "passwd", name));
        if (!result.succeeded()) {
            throw new IOException("no such user: " + name);
        }
        String[] fields = result.stdout().strip().split(":", -1);
        if (fields.length < 7) {
            throw new IOException("unexpected passwd entry for " + name);
        }
        try {
            return new ServiceUser(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), Path.of(fields[5]));
        } catch (NumberFormatException e) {
            throw new IOException("unexpected passwd entry for " + name);
        }
    }
}
