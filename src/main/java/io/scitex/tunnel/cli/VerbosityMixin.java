package io.scitex.tunnel.cli;

import picocli.CommandLine.Option;

/** {@code -v}: show debug logs and stack traces on stderr. */
public class VerbosityMixin {
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    private boolean verbose;

    @Option(names = {"-v", "--verbose"}, description = "Show what happens in detail (on stderr).")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            // Set before the first logger is created: options are parsed before any command runs.
            System.setProperty(LOG_LEVEL_PROPERTY, "debug");
        }
    }

    boolean isVerbose() {
        return verbose;
    }
}
