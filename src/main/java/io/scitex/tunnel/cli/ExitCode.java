package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.unit.TunnelUnit;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The exit codes of every command, and the one table that says which failure gets which; scripts may rely
 * on them. A command returns {@link #OK}, or {@link #NOT_UP} where status or doctor find a tunnel that is not
 * up; whatever it throws is mapped by {@link #of}, the same way for every command but {@code run}, whose usage
 * errors are {@link #CONFIG}.
 */
public final class ExitCode {
    /** The operation succeeded (status: every listed tunnel is up). */
    public static final int OK = 0;
    /** The operation failed; the message says why (apply: a tunnel failed, the others were applied). */
    public static final int FAILED = 1;
    /** The command line or a value in it is invalid (apply: the tunnels file is, and nothing changed). */
    public static final int USAGE = 2;
    /** status, doctor: at least one listed tunnel is not up. */
    public static final int NOT_UP = 3;
    /** -p names a port without a tunnel. */
    public static final int NO_SUCH_TUNNEL = 4;
    /**
     * run: its configuration can never work (a bad option or value, an unusable key, no pinned host key): 78,
     * EX_CONFIG, which the native unit's RestartPreventExitStatus= names, so that systemd does not restart it.
     */
    public static final int CONFIG = TunnelUnit.CONFIGURATION_ERROR_STATUS;

    /** Failures, the most specific type first: the first row the failure is an instance of decides. */
    private static final List<Row> FAILURES = List.of(
            new Row(ParameterException.class, USAGE), // picocli: an unknown or missing option, a bad value
            new Row(InvalidInputException.class, USAGE), // a value the model rejects
            new Row(NoSuchTunnelException.class, NO_SUCH_TUNNEL),
            new Row(TunnelException.class, FAILED), // this machine could not carry it out
            new Row(Throwable.class, FAILED)); // a bug: nothing else should reach here

    private ExitCode() {}

    /** The exit code for a command that ended with {@code failure}. */
    public static int of(Throwable failure) {
        return FAILURES.stream().filter(row -> row.type().isInstance(failure)).findFirst().orElseThrow().code();
    }

    /**
     * The exit code for {@code command} ending with {@code failure}: {@code run} is what a service runs, and what
     * is a usage error elsewhere is, for it, a configuration that a restart cannot mend.
     */
    public static int of(Throwable failure, CommandLine command) {
        int code = of(failure);
        return code == USAGE && command.getCommand() instanceof RunCommand ? CONFIG : code;
    }

    private record Row(Class<? extends Throwable> type, int code) {}
}
