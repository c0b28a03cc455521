package io.scitex.tunnel.cli;

import picocli.CommandLine.Option;

/** {@code -v}: show debug logs and stack traces on stderr. */
public class VerbosityMixin {
    static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /** The native engine logs its state changes at info by default (simplelogger.properties). */
    static final String ENGINE_LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.io.scitex.tunnel.engine";
    private boolean verbose;

    @Option(names = {"-v", "--verbose"}, description = "Show what happens in detail (on stderr).")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            // Set before the first logger is created: options are parsed before any command runs.
            System.setProperty(LOG_LEVEL_PROPERTY, "debug");
            System.setProperty(ENGINE_LOG_LEVEL_PROPERTY, "debug");
        }
    }

    boolean isVerbose() {
        return verbose;
    }
}
