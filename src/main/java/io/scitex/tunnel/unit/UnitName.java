package io.scitex.tunnel.unit;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tunnel units are named {@code autossh-tunnel-PORT.service}, the name the Python tool uses too. */
public final class UnitName {
    public static final String GLOB = "autossh-tunnel-*.service";
    private static final Pattern NAME = Pattern.compile("autossh-tunnel-([1-9][0-9]{0,4})\\.service");

    private UnitName() {}

    public static String of(int port) {
        return "autossh-tunnel-" + port + ".service";
    }

    /** The tunnel port a unit file name stands for, if it is a tunnel unit. */
    public static Optional<Integer> port(String unitName) {
        Matcher m = NAME.matcher(unitName);
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(m.group(1));
        return port <= 65535 ? Optional.of(port) : Optional.empty();
    }
}
