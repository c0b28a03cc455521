package io.scitex.tunnel.bastion;

import io.scitex.tunnel.host.AsUser;
import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.ServiceUser;
import io.scitex.tunnel.host.UserFiles;
import io.scitex.tunnel.host.Users;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bastion as Linux shows it: {@code /proc/net/tcp{,6}}, {@code /proc/PID/fd} and {@code /proc/PID/stat},
 * {@code journalctl _COMM=sshd}, {@code getent}, and the authorized_keys files, read as their account when
 * this process is root (root never reads a file an ordinary user controls with its own rights).
 */
public final class ProcBastionSystem implements BastionSystem {
    private static final Logger LOG = LoggerFactory.getLogger(ProcBastionSystem.class);
    private static final Path PROC = Path.of("/proc");
    private static final Pattern SOCKET = Pattern.compile("socket:\\[([0-9]+)]");
    /** How much of sshd's journal is read: the newest lines, enough for weeks of a small fleet's logins. */
    private static final String JOURNAL_LINES = "50000";
    private static final int MAX_AUTHORIZED_KEYS = 1 << 20;
    private static final long CLOCK_TICKS = 100; // USER_HZ, 100 on every Linux ABI that ships systemd
    private final CommandRunner runner;
    private final Users users;
    private final String group;
    private final List<String> authorizedKeysFiles;
    private final Map<Integer, Optional<String>> names = new HashMap<>();

    /**
     * @param group               the group whose members are tunnel accounts (the drop-in's {@code Match Group})
     * @param authorizedKeysFiles sshd's {@code AuthorizedKeysFile} patterns: {@code %h}, {@code %u}, {@code %%}
     *                            expanded, relative paths from the account's home
     */
    public ProcBastionSystem(CommandRunner runner, Users users, String group, List<String> authorizedKeysFiles) {
        this.runner = runner;
        this.users = users;
        this.group = group;
        this.authorizedKeysFiles = List.copyOf(authorizedKeysFiles);
    }

    @Override
    public List<TcpSocket> sockets() {
        List<TcpSocket> sockets = new ArrayList<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                sockets.addAll(TcpSocket.parseTable(Files.readString(PROC.resolve(table), StandardCharsets.US_ASCII)));
            } catch (IOException absent) {
                LOG.debug("cannot read /proc/{}: {}", table, absent.getMessage());
            }
        }
        return sockets;
    }

    @Override
    public Map<Long, Set<Integer>> socketOwners() {
        Map<Long, Set<Integer>> owners = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                int pid = Integer.parseInt(process.getFileName().toString());
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path fd : fds) {
                        Matcher socket = SOCKET.matcher(Files.readSymbolicLink(fd).toString());
                        if (socket.matches()) {
                            owners.computeIfAbsent(Long.parseLong(socket.group(1)), i -> new java.util.TreeSet<>()).add(pid);
                        }
                    }
                } catch (IOException | SecurityException hidden) {
                    // another user's process, or one that just ended
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot list /proc: {}", e.getMessage());
        }
        return owners;
    }

    @Override
    public Optional<ProcessInfo> process(int pid) {
        try {
            Path dir = PROC.resolve(Integer.toString(pid));
            String command = Files.readString(dir.resolve("comm")).strip();
            String stat = Files.readString(dir.resolve("stat"));
            // the fields after the command name, which may itself hold blanks and parentheses
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            int parent = Integer.parseInt(after[1]);
            long startTicks = Long.parseLong(after[19]);
            int uid = (Integer) Files.getAttribute(dir, "unix:uid");
            return Optional.of(new ProcessInfo(pid, command, parent, uid,
                    bootTime().map(boot -> boot.plusMillis(startTicks * 1000 / CLOCK_TICKS))));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> bootTime() {
        try {
            return Files.readAllLines(PROC.resolve("stat")).stream().filter(l -> l.startsWith("btime "))
                    .map(l -> Instant.ofEpochSecond(Long.parseLong(l.substring(6).strip()))).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<List<SshdLogins.Line>> sshdJournal() {
        try {
            CommandResult result = runner.run(List.of("journalctl", "--no-pager", "-q", "-o", "short-unix",
                    "-n", JOURNAL_LINES, "_COMM=sshd"));
            if (!result.succeeded() || result.stdout().isBlank() && !isRoot()) {
                return Optional.empty();
            }
            List<SshdLogins.Line> lines = new ArrayList<>();
            for (String line : result.stdout().split("\n")) {
                int blank = line.indexOf(' ');
                int message = line.indexOf("]: ");
                if (blank > 0 && message > blank) {
                    try {
                        double seconds = Double.parseDouble(line.substring(0, blank));
                        lines.add(new SshdLogins.Line(Instant.ofEpochMilli((long) (seconds * 1000)),
                                line.substring(message + 3)));
                    } catch (NumberFormatException notALine) {
                        // a continuation line
                    }
                }
            }
            return Optional.of(lines);
        } catch (IOException e) {
            LOG.debug("cannot read sshd's journal: {}", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Set<String> tunnelAccounts() {
        try {
            CommandResult result = runner.run(List.of("getent", "group", group));
            String[] fields = result.stdout().strip().split(":", -1);
            if (!result.succeeded() || fields.length < 4 || fields[3].isEmpty()) {
                return Set.of();
            }
            return new LinkedHashSet<>(Arrays.asList(fields[3].split(",")));
        } catch (IOException e) {
            return Set.of();
        }
    }

    @Override
    public Optional<List<AuthorizedKey>> authorizedKeys(String account) {
        ServiceUser user;
        try {
            user = users.lookup(account);
        } catch (IOException | RuntimeException unknown) {
            LOG.debug("no account {}: {}", account, unknown.getMessage());
            return Optional.empty();
        }
        List<AuthorizedKey> keys = new ArrayList<>();
        boolean readAny = false;
        for (String pattern : authorizedKeysFiles) {
            Path file = user.home().resolve(expand(pattern, user));
            Optional<String> text = read(file, user);
            readAny |= text.isPresent();
            text.ifPresent(t -> keys.addAll(AuthorizedKey.parseFile(account, t)));
        }
        return readAny ? Optional.of(keys) : Optional.empty();
    }

    static String expand(String pattern, ServiceUser user) {
        return pattern.replace("%%", "\u0000").replace("%h", user.home().toString()).replace("%u", user.name())
                .replace("%U", Integer.toString(user.uid())).replace("\u0000", "%");
    }

    /** Root's own file as root; anyone else's as that user, so no link of theirs leads root anywhere. */
    private Optional<String> read(Path file, ServiceUser user) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            if (!isRoot() || UserFiles.isRootsOwn(file) || user.isRoot()) {
                return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
            }
            CommandResult cat = AsUser.of(runner, user).run(List.of("head", "-c", Integer.toString(MAX_AUTHORIZED_KEYS),
                    "--", file.toString()));
            return cat.succeeded() ? Optional.of(cat.stdout()) : Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            LOG.debug("cannot read {}: {}", file, unreadable.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> accountName(int uid) {
        return names.computeIfAbsent(uid, this::lookUpName);
    }

    private Optional<String> lookUpName(int uid) {
        try {
            CommandResult result = runner.run(List.of("getent", "passwd", Integer.toString(uid)));
            return result.succeeded() ? Optional.of(result.stdout().split(":", 2)[0]) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean isRoot() {
        return AsUser.processIsRoot();
    }
}
