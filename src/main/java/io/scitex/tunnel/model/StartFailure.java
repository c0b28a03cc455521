package io.scitex.tunnel.model;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a tunnel's service cannot start, from the journal line that says so ({@link JournalEvent.Kind#START_FAILED},
 * {@link JournalEvent.Kind#JVM_REFUSED}), and what to do about it.
 *
 * @param said what systemd or the process said (escaped)
 * @param fix  what to do
 */
public record StartFailure(String said, String fix) {
    private static final Pattern SPAWNING = Pattern.compile("(?:Failed at step [A-Z_]+ spawning|Failed to locate"
            + " executable|Unable to locate executable) (.*?): (.*)$");
    private static final Pattern STATUS = Pattern.compile("status=(2\\d\\d)/([A-Z_]+)");

    /** The failure {@code line} reports, if it reports one. */
    public static Optional<StartFailure> of(JournalEvent line) {
        String said = Printable.escape(line.message());
        if (line.kind() == JournalEvent.Kind.JVM_REFUSED) {
            return Optional.of(new StartFailure(said, "the Java runtime the unit names refuses to start the native"
                    + " engine: run setup again with the Java it should use (java -version; JAVA_HOME), or"
                    + " --engine autossh"));
        }
        if (line.kind() != JournalEvent.Kind.START_FAILED) {
            return Optional.empty();
        }
        Matcher spawning = SPAWNING.matcher(line.message());
        if (spawning.find()) {
            String program = Printable.escape(spawning.group(1));
            String error = spawning.group(2);
            if (error.contains("Permission denied")) {
                return Optional.of(new StartFailure(said, "the service user may not run " + program + ": make it and"
                        + " every directory above it readable and executable for that user (chmod a+rx), or install"
                        + " scitex-tunnel where it can, then run setup again"));
            }
            // execve says the same when the program is there but is a script whose #! interpreter is not.
            String script = spawning.group(0).startsWith("Failed at step") ? ", or it is a script whose #! interpreter"
                    + " does not exist" : "";
            return Optional.of(new StartFailure(said, program + " does not exist, or the service's sandbox hides it"
                    + " (ProtectHome= hides /home, /root and /run/user; PrivateTmp= hides /tmp)" + script
                    + ": install it where the service sees it (e.g. /opt or /usr/local), then run setup again"));
        }
        Matcher status = STATUS.matcher(line.message());
        String step = status.find() ? status.group(2) : "a setup step";
        return Optional.of(new StartFailure(said, "systemd could not start the process (" + step + "): "
                + "journalctl -u UNIT shows its line that says why; then run setup again"));
    }

    /** {@code SAID; fix: FIX} for one line. */
    public String describe() {
        return said + "; fix: " + fix;
    }
}
