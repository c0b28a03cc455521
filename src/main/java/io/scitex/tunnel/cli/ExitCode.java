package io.scitex.tunnel.cli;

/** The exit codes of every command; scripts may rely on them. */
public final class ExitCode {
    /** The operation succeeded (status: every listed tunnel is up). */
    public static final int OK = 0;
    /** The operation failed; the message says why. */
    public static final int FAILED = 1;
    /** The command line or a value in it is invalid. */
    public static final int USAGE = 2;
    /** status: at least one listed tunnel is not up. */
    public static final int NOT_UP = 3;
    /** status -p: no tunnel on that port. */
    public static final int NO_SUCH_TUNNEL = 4;

    private ExitCode() {}
}
