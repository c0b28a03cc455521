package io.scitex.tunnel.host;

/**
 * A file's owner and mode: who may change what it holds.
 *
 * @param uid  the owning user's id
 * @param gid  the owning group's id
 * @param mode the mode bits ({@code st_mode}: type, set-id, sticky and permission bits)
 */
public record FileOwner(int uid, int gid, int mode) {
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS_WRITE = 0002;
    private static final int STICKY = 01000;
    private static final int DIRECTORY = 0040000;
    private static final int TYPE = 0170000;

    /**
     * Whether someone other than the owner may change this file, or (a directory) replace or rename an entry
     * in it: the group or others may write, unless it is a directory with the sticky bit, where only an entry's
     * owner may replace it.
     */
    public boolean othersMayChange() {
        boolean shared = (mode & (GROUP_WRITE | OTHERS_WRITE)) != 0;
        boolean stickyDirectory = (mode & TYPE) == DIRECTORY && (mode & STICKY) != 0;
        return shared && !stickyDirectory;
    }
}
