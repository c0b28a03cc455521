package io.scitex.tunnel.status;

import io.scitex.tunnel.unit.UnitDirectory;
import io.scitex.tunnel.unit.UnitName;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drop-ins that change a tunnel's unit beyond what its unit file says: those systemd loaded it with (its
 * {@code DropInPaths}: {@code systemctl edit}'s, {@code systemctl set-property}'s, runtime ones, and those for
 * every service), and those in the unit's own drop-in directory that the next daemon-reload will load.
 */
public final class UnitDropIns {
    /** The unit property in which systemd lists the drop-ins it loaded the unit with. */
    public static final String PROPERTY = "DropInPaths";
    private static final Logger LOG = LoggerFactory.getLogger(UnitDropIns.class);
    private final UnitDirectory units;

    public UnitDropIns(UnitDirectory units) {
        this.units = units;
    }

    /** The drop-ins of the unit on {@code port}, in path order, given what {@code systemctl show} said of it. */
    public List<Path> of(int port, Map<String, String> shown) {
        TreeSet<Path> dropIns = new TreeSet<>(parse(shown.getOrDefault(PROPERTY, "")));
        try {
            dropIns.addAll(units.dropIns(port));
        } catch (IOException unreadable) {
            LOG.debug("cannot list {}: {}", units.dropInDirectory(port), unreadable.getMessage());
        }
        return List.copyOf(dropIns);
    }

    /**
     * Those of {@code dropIns} that belong to the unit on {@code port} alone (in a {@code UNIT.d} directory), not
     * to a group of units: they stay for the next unit of that name.
     */
    public static List<Path> ofThisUnitOnly(List<Path> dropIns, int port) {
        String directory = UnitName.of(port) + ".d";
        return dropIns.stream().filter(p -> p.getParent() != null && p.getParent().getFileName() != null
                && p.getParent().getFileName().toString().equals(directory)).toList();
    }

    /**
     * systemctl show lists the paths separated by spaces, without quoting; every drop-in's name ends in
     * {@code .conf}, so a word that does not is the start of a path with a space in it.
     */
    static List<Path> parse(String value) {
        List<Path> paths = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        for (String word : value.strip().split(" ")) {
            if (word.isEmpty() && path.length() == 0) {
                continue;
            }
            path.append(path.length() == 0 ? "" : " ").append(word);
            if (word.endsWith(".conf")) {
                if (path.charAt(0) == '/') {
                    paths.add(Path.of(path.toString()));
                }
                path.setLength(0);
            }
        }
        return paths;
    }
}
