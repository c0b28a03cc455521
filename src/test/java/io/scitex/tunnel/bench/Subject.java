package io.scitex.tunnel.bench;

/**
 * What a benchmark measures: our tool, the reference users would otherwise run, or a baseline no tool can beat
 * (plain loopback TCP; a bare JVM start).
 */
enum Subject {
    NATIVE("scitex-tunnel, native engine"),
    OPENSSH("OpenSSH (autossh unit)"),
    BASELINE("baseline");

    private final String label;

    Subject(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
