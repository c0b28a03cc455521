package io.scitex.tunnel.bastion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * {@code bastion status}: every reverse-forward listener an sshd session holds, who holds it and whether it
 * reaches a target now, and every port an authorized_keys line permits that nobody holds. It reads what the
 * system knows ({@link BastionSystem}) and probes each port once ({@link PortProbe}); the session's own socket,
 * read again after the probe, tells a session that stopped answering.
 */
public final class BastionStatus {
    private static final String SSHD = "sshd";
    private final BastionSystem system;
    private final PortProbe probe;

    public BastionStatus(BastionSystem system, PortProbe probe) {
        this.system = system;
        this.probe = probe;
    }

    /**
     * The rows, by port, and what could not be seen.
     *
     * @param limits one sentence each on what this user could not read, and what would show it
     */
    public record Report(List<BastionPort> ports, List<String> limits) {
        public Report {
            ports = List.copyOf(ports);
            limits = List.copyOf(limits);
        }
    }

    /** A forward listener: the session process holding it (when visible), its port and addresses. */
    private record Held(Optional<Integer> pid, int port, int uid, List<String> binds, Optional<TcpSocket> session) {}

    public Report read() {
        List<String> limits = new ArrayList<>();
        List<TcpSocket> sockets = system.sockets();
        Map<Long, Set<Integer>> owners = system.socketOwners();
        Optional<List<SshdLogins.Line>> journal = system.sshdJournal();
        SshdLogins logins = SshdLogins.of(journal.orElse(List.of()));
        Set<String> accounts = new TreeSet<>(system.tunnelAccounts());
        if (!system.isRoot()) {
            limits.add("not root: sessions of other accounts, their keys and authorized_keys files are hidden;"
                    + " run with sudo to see them");
        }
        if (journal.isEmpty()) {
            limits.add("sshd's journal is not readable: keys, since and last seen need root or the adm or"
                    + " systemd-journal group");
        }
        List<Held> held = held(sockets, owners);
        held.forEach(h -> system.accountName(h.uid()).ifPresent(accounts::add));
        Map<String, List<AuthorizedKey>> keys = new LinkedHashMap<>();
        for (String account : accounts) {
            system.authorizedKeys(account).ifPresent(k -> keys.put(account, k));
        }
        Set<Integer> permitted = keys.values().stream().flatMap(List::stream).flatMap(k -> k.listens().stream())
                .collect(Collectors.toSet());
        if (owners.isEmpty() || held.stream().allMatch(h -> h.pid().isEmpty())) {
            held = new ArrayList<>(held);
            held.addAll(unowned(sockets, owners, accounts, permitted, held));
        }
        List<CompletableFuture<ListenerEvidence>> probes = held.stream()
                .map(h -> CompletableFuture.supplyAsync(() -> probe.probe(probeAddress(h.binds().get(0)), h.port())))
                .toList();
        List<ListenerEvidence> evidence = probes.stream().map(CompletableFuture::join).toList();
        Map<Long, TcpSocket> after = system.sockets().stream()
                .collect(Collectors.toMap(TcpSocket::inode, s -> s, (a, b) -> a));

        List<BastionPort> rows = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            rows.add(row(held.get(i), evidence.get(i), after, logins, keys));
        }
        Set<Integer> heldPorts = rows.stream().map(BastionPort::port).collect(Collectors.toSet());
        for (List<AuthorizedKey> accountKeys : keys.values()) {
            for (AuthorizedKey key : accountKeys) {
                for (int port : key.listens()) {
                    if (heldPorts.add(port)) {
                        rows.add(offline(port, key, logins));
                    }
                }
            }
        }
        rows.sort(Comparator.comparingInt(BastionPort::port));
        return new Report(rows, limits);
    }

    /** Listeners held by sshd processes that also hold a session: the daemon's own listeners hold none. */
    private List<Held> held(List<TcpSocket> sockets, Map<Long, Set<Integer>> owners) {
        Map<Integer, List<TcpSocket>> byPid = new LinkedHashMap<>();
        for (TcpSocket socket : sockets) {
            if (socket.isListening() || socket.isEstablished()) {
                for (int pid : owners.getOrDefault(socket.inode(), Set.of())) {
                    byPid.computeIfAbsent(pid, p -> new ArrayList<>()).add(socket);
                }
            }
        }
        Set<Integer> daemonPorts = new TreeSet<>();
        Map<Integer, List<TcpSocket>> sessions = new LinkedHashMap<>();
        byPid.forEach((pid, held) -> {
            boolean sshd = system.process(pid).map(p -> p.command().equals(SSHD)).orElse(false);
            if (!sshd) {
                return;
            }
            if (held.stream().anyMatch(TcpSocket::isEstablished)) { // a session (its monitor holds no listener)
                sessions.put(pid, held);
            } else {
                held.forEach(s -> daemonPorts.add(s.localPort()));
            }
        });
        List<Held> result = new ArrayList<>();
        sessions.forEach((pid, held) -> {
            Set<Integer> ownPorts = held.stream().filter(TcpSocket::isListening).map(TcpSocket::localPort)
                    .collect(Collectors.toCollection(TreeSet::new));
            Optional<TcpSocket> session = held.stream().filter(TcpSocket::isEstablished)
                    .filter(s -> daemonPorts.contains(s.localPort())).findFirst()
                    .or(() -> held.stream().filter(TcpSocket::isEstablished)
                            .filter(s -> !ownPorts.contains(s.localPort())).min(Comparator.comparingLong(TcpSocket::inode)));
            for (int port : ownPorts) {
                List<TcpSocket> listeners = held.stream().filter(s -> s.isListening() && s.localPort() == port).toList();
                result.add(new Held(Optional.of(pid), port, listeners.get(0).uid(), binds(listeners), session));
            }
        });
        return result;
    }

    /** Without sight of the owners (not root): listeners of tunnel accounts, or on ports a key permits. */
    private List<Held> unowned(List<TcpSocket> sockets, Map<Long, Set<Integer>> owners, Set<String> accounts,
                               Set<Integer> permitted, List<Held> known) {
        Set<Integer> knownPorts = known.stream().map(Held::port).collect(Collectors.toSet());
        Map<Integer, List<TcpSocket>> byPort = new LinkedHashMap<>();
        for (TcpSocket socket : sockets) {
            boolean tunnelAccount = system.accountName(socket.uid()).map(accounts::contains).orElse(false);
            if (socket.isListening() && !owners.containsKey(socket.inode()) && !knownPorts.contains(socket.localPort())
                    && (tunnelAccount || permitted.contains(socket.localPort()))) {
                byPort.computeIfAbsent(socket.localPort(), p -> new ArrayList<>()).add(socket);
            }
        }
        List<Held> result = new ArrayList<>();
        byPort.forEach((port, listeners) -> result.add(new Held(Optional.empty(), port, listeners.get(0).uid(),
                binds(listeners), Optional.empty())));
        return result;
    }

    private static List<String> binds(List<TcpSocket> listeners) {
        return listeners.stream().map(TcpSocket::localAddress).distinct().sorted().toList();
    }

    private BastionPort row(Held held, ListenerEvidence evidence, Map<Long, TcpSocket> after, SshdLogins logins,
                            Map<String, List<AuthorizedKey>> keys) {
        Optional<String> account = system.accountName(held.uid());
        Optional<TcpSocket> session = held.session().map(s -> after.getOrDefault(s.inode(), s));
        Optional<SshdLogins.Login> login = session.flatMap(s -> logins.of(s.remote()));
        Optional<BastionPort.KeyIdentity> key = login.flatMap(l -> keyOf(keys.get(l.account()), l))
                .or(() -> account.flatMap(a -> permitting(keys.get(a), held.port())));
        PortHealth health;
        String detail;
        if (session.isPresent() && session.get().isStalled()) {
            health = PortHealth.STALE;
            detail = "the session's client stopped answering: " + session.get().sendQueue()
                    + " bytes unacknowledged after " + session.get().retransmits() + " retransmissions; "
                    + evidence.detail();
        } else {
            health = evidence.answered() ? PortHealth.UP : PortHealth.DOWN;
            detail = evidence.detail();
        }
        return new BastionPort(held.port(), held.binds(), account.or(() -> login.map(SshdLogins.Login::account)),
                session.map(TcpSocket::remote),
                login.map(SshdLogins.Login::at).or(() -> held.pid().flatMap(system::process)
                        .flatMap(BastionSystem.ProcessInfo::started)),
                key, health, detail, Optional.empty());
    }

    private static Optional<BastionPort.KeyIdentity> keyOf(List<AuthorizedKey> keys, SshdLogins.Login login) {
        Optional<AuthorizedKey> line = keys == null ? Optional.empty()
                : keys.stream().filter(k -> k.fingerprint().equals(login.fingerprint())).findFirst();
        return Optional.of(line.map(BastionStatus::identity)
                .orElse(new BastionPort.KeyIdentity(login.keyType(), login.fingerprint(), "", "")));
    }

    private static Optional<BastionPort.KeyIdentity> permitting(List<AuthorizedKey> keys, int port) {
        if (keys == null) {
            return Optional.empty();
        }
        List<AuthorizedKey> permit = keys.stream().filter(k -> k.listens().contains(port)).toList();
        return permit.size() == 1 ? Optional.of(identity(permit.get(0))) : Optional.empty();
    }

    private static BastionPort.KeyIdentity identity(AuthorizedKey key) {
        return new BastionPort.KeyIdentity(key.key().type(), key.fingerprint(), key.comment(), key.host());
    }

    private static BastionPort offline(int port, AuthorizedKey key, SshdLogins logins) {
        Optional<java.time.Instant> lastSeen = logins.lastSeen(key.fingerprint());
        return new BastionPort(port, List.of(), Optional.of(key.account()), Optional.empty(), Optional.empty(),
                Optional.of(identity(key)), PortHealth.OFFLINE,
                "permitted by line " + key.line() + " of " + key.account() + "'s authorized_keys; nobody holds it"
                        + lastSeen.map(t -> "; last seen " + t).orElse(""), lastSeen);
    }

    /** A wildcard bind is reached on loopback. */
    static String probeAddress(String bind) {
        return switch (bind) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> bind;
        };
    }
}
