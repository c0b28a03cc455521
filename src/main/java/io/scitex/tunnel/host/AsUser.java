package io.scitex.tunnel.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Does file work on behalf of a user with that user's own rights, so that the kernel, not this tool, decides
 * what it may touch: when this process is root and the user is not, each command runs through {@code setpriv}
 * with the user's ids, groups and a clean environment; otherwise (the user is root, or this process could not
 * switch anyway) directly. Root working in a directory the user controls could be led anywhere by a symlink
 * swapped in at the right moment; the user's own processes can only reach what the user can.
 */
public final class AsUser {
    private static final Path PROCESS = Path.of("/proc/self");
    private final CommandRunner runner;
    private final ServiceUser user;
    private final boolean switches;

    /** @param switches whether commands must switch to the user (this process is root, the user is not) */
    public AsUser(CommandRunner runner, ServiceUser user, boolean switches) {
        this.runner = runner;
        this.user = user;
        this.switches = switches;
    }

    /** Works for {@code user} from this process: switching to them when this process is root and they are not. */
    public static AsUser of(CommandRunner runner, ServiceUser user) {
        return new AsUser(runner, user, processIsRoot() && !user.isRoot());
    }

    /** Whether this process runs with root's effective user id. */
    public static boolean processIsRoot() {
        try {
            return ((Integer) Files.getAttribute(PROCESS, "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    public ServiceUser user() {
        return user;
    }

    /** Whether the work runs under the user's ids rather than this process's own. */
    public boolean switchesUser() {
        return switches;
    }

    /** Runs {@code command} (program first) as the user. */
    public CommandResult run(List<String> command) throws IOException {
        return runner.run(argv(command));
    }

    /** The argv that runs {@code command} as the user. */
    List<String> argv(List<String> command) {
        if (!switches) {
            return List.copyOf(command);
        }
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(),
                "--init-groups", "--reset-env", "--"));
        argv.addAll(command);
        return argv;
    }

    /** Whether the user may read {@code file}, every directory on the way to it included. */
    public boolean mayRead(Path file) throws IOException {
        return switches ? run(List.of("test", "-r", file.toString())).succeeded() : Files.isReadable(file);
    }

    /** Whether the user may enter {@code directory} (and every directory on the way to it). */
    public boolean mayEnter(Path directory) throws IOException {
        return switches ? run(List.of("test", "-d", directory.toString(), "-a", "-x", directory.toString())).succeeded()
                : Files.isDirectory(directory) && Files.isExecutable(directory);
    }
}
