package io.scitex.tunnel.host;

import java.nio.file.Path;

/**
 * The account a tunnel's service runs as: the user who invoked the tool (the one behind {@code sudo}).
 *
 * @param name login name
 * @param uid  numeric user id
 * @param gid  numeric id of the user's primary group
 * @param home home directory, where {@code ~} in a key path points
 */
public record ServiceUser(String name, int uid, int gid, Path home) {
    /** A user whose primary group has the user's own id, as {@code useradd} makes them by default. */
    public ServiceUser(String name, int uid, Path home) {
        this(name, uid, uid, home);
    }

    /** Expands a leading {@code ~} or {@code ~/} to this user's home, as a shell would for them. */
    public Path expand(String path) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    public boolean isRoot() {
        return uid == 0;
    }
}
