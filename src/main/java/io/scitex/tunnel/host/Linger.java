package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * systemd-logind's linger: whether a user's service manager runs without a session of theirs (from boot, and
 * after they log out). Asked through {@code loginctl}; the users who linger are also listed by logind's
 * {@code /var/lib/systemd/linger}, one empty file per user.
 */
public class Linger {
    /** Where logind marks the users who linger. */
    public static final Path DIRECTORY = Path.of("/var/lib/systemd/linger");
    private final CommandRunner runner;
    private final Path directory;

    public Linger(CommandRunner runner) {
        this(runner, DIRECTORY);
    }

    public Linger(CommandRunner runner, Path directory) {
        this.runner = runner;
        this.directory = directory;
    }

    /**
     * Whether {@code user} lingers, as logind says ({@code loginctl show-user USER -p Linger}); a user logind does
     * not know (no session, no linger) does not.
     */
    public boolean isOn(String user) throws IOException {
        CommandResult shown = runner.run(List.of("loginctl", "show-user", user, "-p", "Linger", "--value"));
        return shown.succeeded() && shown.stdout().strip().equals("yes");
    }

    /** Asks logind to let {@code user} linger ({@code loginctl enable-linger USER}); polkit decides. */
    public CommandResult enable(String user) throws IOException {
        return runner.run(List.of("loginctl", "enable-linger", user));
    }

    /** The users who linger, by name, without asking logind (which may not run for the caller). */
    public SortedSet<String> users() throws IOException {
        SortedSet<String> users = new TreeSet<>();
        if (!Files.isDirectory(directory)) {
            return users;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            files.forEach(file -> users.add(file.getFileName().toString()));
        }
        return users;
    }

    /** The command an administrator runs to let {@code user} linger. */
    public static String adminCommand(String user) {
        return "loginctl enable-linger " + user;
    }
}
