package io.scitex.tunnel.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a tunnel's journal, classified: what autossh, ssh or systemd said, and what it means for the
 * tunnel.
 *
 * @param time    when it was logged
 * @param pid     the process that logged it (autossh, its ssh child, or systemd); 0 when unknown
 * @param message the line as logged
 * @param kind    what the line means
 */
public record JournalEvent(Instant time, long pid, String message, Kind kind) {
    private static final Pattern CHILD_PID = Pattern.compile("^ssh child pid is (\\d+)");

    public JournalEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(kind, "kind");
    }

    /** Classifies {@code message} (see {@link Kind#of}). */
    public static JournalEvent of(Instant time, long pid, String message) {
        return new JournalEvent(time, pid, message, Kind.of(message));
    }

    /** For {@link Kind#SSH_STARTED}: the PID of the ssh that autossh started. */
    public OptionalLong startedPid() {
        Matcher m = CHILD_PID.matcher(message);
        return kind == Kind.SSH_STARTED && m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * What a journal line of a tunnel means. The patterns are the messages of OpenSSH's client, autossh and
     * systemd; the first that matches wins.
     */
    public enum Kind {
        /** autossh: "ssh child pid is N" — a new ssh connection attempt. */
        SSH_STARTED("connect", false, false, "^ssh child pid is \\d+"),
        /** autossh: "starting ssh (count N)". */
        SSH_STARTING("connect", false, false, "^starting ssh \\(count"),
        /** autossh: ssh exited, autossh restarts it (or gives up). */
        SSH_EXITED("exit", false, true, "^ssh exited", "^ssh child .* exited", "autossh exiting"),
        /**
         * systemd could not start the service's process: the executable is missing, hidden by the sandbox or
         * not executable (its own exit statuses 200-243, e.g. 203/EXEC).
         */
        START_FAILED("start", true, true, "Failed at step [A-Z_]+ spawning ", "Failed to locate executable ",
                "Unable to locate executable ", "Main process exited, code=exited, status=2[0-4]\\d/[A-Z_]+"),
        /** The JVM of a native tunnel refused to start (an option it does not know, too little memory). */
        JVM_REFUSED("jvm", true, true, "^Unrecognized VM option ", "^Unrecognized option: ",
                "^Error: Could not create the Java Virtual Machine", "^Error: Could not find or load main class ",
                "^Error occurred during initialization of VM", "^Invalid maximum heap size"),
        FORWARD_REFUSED("refused", true, true, "remote port forwarding failed for listen port",
                "NativeTunnel - tunnel \\d+: .*; asking again until it is free$"),
        /** The native engine lost its session or could not open one, and reconnects. */
        ENGINE_FAILED("engine", true, true, "NativeTunnel - tunnel \\d+: .*; reconnecting with backoff$"),
        /** The native engine's forward is up. */
        ENGINE_UP("up", false, false, "NativeTunnel - tunnel \\d+: up, "),
        HOST_KEY_CHANGED("hostkey", true, true, "REMOTE HOST IDENTIFICATION HAS CHANGED",
                "^Host key for .* has changed"),
        HOST_KEY_UNKNOWN("hostkey", true, true, "host key is known for .* strict checking",
                "^No .*host key is known for"),
        /** ssh's last word after any host key problem. */
        HOST_KEY_FAILED("hostkey", true, true, "^Host key verification failed"),
        AUTH_FAILED("auth", true, true, "Permission denied \\(", "Too many authentication failures",
                "^Load key .*: ", "^no such identity: "),
        CONNECT_FAILED("unreach", true, true, "^ssh: connect to host .*: ", "^ssh: Could not resolve hostname",
                "^connect to host .*: "),
        /** ssh gave up on a link that stopped answering its keepalives. */
        LINK_DEAD("linkdead", true, true, "^Timeout, server .* not responding"),
        DISCONNECTED("disconnect", true, true, "closed by remote host", "^Connection closed by",
                "^Connection reset by", "Broken pipe", "^client_loop: send disconnect", "^Connection to .* closed"),
        /** ssh could not connect a forwarded connection to the target: the target refused or is down. */
        TARGET_REFUSED("target", true, false, "^connect_to .* port \\d+: failed"),
        SERVICE_RESTART("restart", false, true, "Scheduled restart job"),
        SERVICE_FAILED("failed", true, true, "Failed with result", "Main process exited, code=(?!exited, status=1/)"),
        SERVICE_STOPPED("stopped", false, true, "^Stopped ", "^Stopping ", "Deactivated successfully"),
        SERVICE_STARTED("started", false, false, "^Started "),
        OTHER("", false, false);

        private final String tag;
        private final boolean problem;
        private final boolean endsSession;
        private final List<Pattern> patterns;

        Kind(String tag, boolean problem, boolean endsSession, String... patterns) {
            this.tag = tag;
            this.problem = problem;
            this.endsSession = endsSession;
            this.patterns = java.util.Arrays.stream(patterns).map(Pattern::compile).toList();
        }

        /** The kind of a journal line: the first whose pattern matches, else {@link #OTHER}. */
        public static Kind of(String message) {
            for (Kind kind : values()) {
                for (Pattern pattern : kind.patterns) {
                    if (pattern.matcher(message).find()) {
                        return kind;
                    }
                }
            }
            return OTHER;
        }

        /** A short tag for {@code logs}: {@code refused}, {@code hostkey}, ...; empty for other lines. */
        public String tag() {
            return tag;
        }

        /** Whether the line reports something wrong (a candidate for {@code last_error}). */
        public boolean isProblem() {
            return problem;
        }

        /** Whether the line means that the ssh connection it belongs to is over (or never came up). */
        public boolean endsSession() {
            return endsSession;
        }
    }
}
