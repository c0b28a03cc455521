package io.scitex.tunnel.testing;

import static org.assertj.core.api.Assertions.fail;

import io.scitex.tunnel.host.Programs;
import org.junit.jupiter.api.Assumptions;

/**
 * What an integration test needs from the machine. Locally a missing prerequisite skips the test; in CI
 * ({@code CI=true}) it fails it, so that a green run never hides a test that did not run.
 */
public final class Prerequisites {
    private Prerequisites() {}

    public static boolean inCi() {
        return "true".equals(System.getenv("CI"));
    }

    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if (inCi()) {
            fail("prerequisite missing in CI: " + what);
        }
        Assumptions.assumeTrue(false, "prerequisite missing: " + what);
    }

    public static void requireProgram(String name, String install) {
        require(new Programs().find(name).isPresent(), name + " (" + install + ")");
    }

    public static void requireRoot(String why) {
        require("root".equals(System.getProperty("user.name")), "root, for " + why);
    }
}
