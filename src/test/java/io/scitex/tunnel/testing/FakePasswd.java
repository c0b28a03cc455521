package io.scitex.tunnel.testing;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.Users;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user database as {@code getent passwd NAME} shows it, on a {@link FakeRunner}: the users given, each
 * with its home (a temporary directory, say); any other name is unknown (exit 2, as getent).
 */
public final class FakePasswd {
    private final Map<String, Path> homes = new LinkedHashMap<>();
    private final FakeRunner runner = new FakeRunner(this::answer);

    /** Adds {@code name} with {@code home}; root gets uid 0, the others 1000, 1001, ... in order. */
    public FakePasswd user(String name, Path home) {
        homes.put(name, home);
        return this;
    }

    /** Users that look names up in this database. */
    public Users users() {
        return new Users(runner, Map.of());
    }

    public FakeRunner runner() {
        return runner;
    }

    /** The names looked up, in order, once per getent call. */
    public List<String> lookups() {
        return runner.commands().stream()
                .filter(argv -> argv.size() == 3 && argv.get(0).equals("getent") && argv.get(1).equals("passwd"))
                .map(argv -> argv.get(2)).toList();
    }

    private CommandResult answer(List<String> argv) {
        if (argv.size() != 3 || !argv.get(0).equals("getent") || !argv.get(1).equals("passwd")) {
            return new CommandResult(argv, 127, "", argv.get(0) + ": not expected here");
        }
        String name = argv.get(2);
        Path home = homes.get(name);
        if (home == null) {
            return new CommandResult(argv, 2, "", "");
        }
        int uid = name.equals("root") ? 0 : 1000 + List.copyOf(homes.keySet()).indexOf(name);
        return new CommandResult(argv, 0, name + ":x:" + uid + ":" + uid + ":" + name + ":" + home + ":/bin/sh\n", "");
    }
}
