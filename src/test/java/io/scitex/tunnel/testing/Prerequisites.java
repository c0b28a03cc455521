package io.scitex.tunnel.testing;

import io.scitex.tunnel.host.Programs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What an integration test needs from the machine. A missing prerequisite skips the test on a developer's
 * machine, but fails it when {@code CI=true}: in CI a skipped integration test would hide a broken setup.
 */
public final class Prerequisites {
    private Prerequisites() {}

    /** True when running in CI, where missing prerequisites are failures. */
    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    /** Skips (locally) or fails (in CI) the current test unless {@code condition} holds. */
    public static void require(boolean condition, String what) {
        if (condition) {
            return;
        }
        String message = "prerequisite missing: " + what;
        if (inCi()) {
            Assertions.fail(message + " (CI=true, so this is a failure, not a skip)");
        }
        Assumptions.assumeTrue(false, message + " (skipped; set CI=true to make this a failure)");
    }

    /**
     * The absolute path of an executable: {@code name} itself if absolute, else found on PATH or in the
     * system directories. Skips or fails (see {@link #require}) if there is none.
     */
    public static Path program(String name, String hint) {
        Path found = name.startsWith("/")
                ? (Files.isRegularFile(Path.of(name)) && Files.isExecutable(Path.of(name)) ? Path.of(name) : null)
                : new Programs().find(name).orElse(null);
        require(found != null, name + " is not installed (" + hint + ")");
        return found;
    }

    /** Like {@link #program}, for tests that only need the program to be there. */
    public static void requireProgram(String name, String hint) {
        program(name, hint);
    }

    public static void requireRoot(String why) {
        require("root".equals(System.getProperty("user.name")), "root, for " + why);
    }
}
