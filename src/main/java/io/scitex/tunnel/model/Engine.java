package io.scitex.tunnel.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which program keeps a tunnel's SSH session alive inside its service. */
public enum Engine {
    /** autossh around OpenSSH's ssh: the default, and what the Python tool uses. */
    AUTOSSH,
    /** This tool's own engine ({@code scitex-tunnel run}), on Apache MINA SSHD. */
    NATIVE;

    /** The name on the command line: {@code autossh} or {@code native}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine parse(String text) {
        for (Engine engine : values()) {
            if (engine.cliName().equals(text)) {
                return engine;
            }
        }
        throw new InvalidInputException("engine " + (text == null ? "(none)" : Printable.quoted(text)) + " is not one of "
                + Arrays.stream(values()).map(Engine::cliName).collect(Collectors.joining(", ")));
    }
}
