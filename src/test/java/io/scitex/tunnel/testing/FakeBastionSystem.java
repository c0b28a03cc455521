package io.scitex.tunnel.testing;

import io.scitex.tunnel.bastion.AuthorizedKey;
import io.scitex.tunnel.bastion.BastionSystem;
import io.scitex.tunnel.bastion.SshdLogins;
import io.scitex.tunnel.bastion.TcpSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A bastion described by fixtures: sockets, their owners, processes, journal lines and authorized_keys files. */
public final class FakeBastionSystem implements BastionSystem {
    private final List<TcpSocket> sockets = new ArrayList<>();
    /** What {@link #sockets()} answers after its first call (the kernel after the probes), when set. */
    private List<TcpSocket> later;
    private int socketReads;
    private final Map<Long, Set<Integer>> owners = new HashMap<>();
    private final Map<Integer, ProcessInfo> processes = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();
    private final Map<String, List<AuthorizedKey>> keys = new HashMap<>();
    private final Set<String> accounts = new LinkedHashSet<>();
    private Optional<List<SshdLogins.Line>> journal = Optional.of(new ArrayList<>());
    private boolean root = true;

    public FakeBastionSystem socket(TcpSocket socket, Integer owner) {
        sockets.add(socket);
        if (owner != null) {
            owners.computeIfAbsent(socket.inode(), i -> new java.util.TreeSet<>()).add(owner);
        }
        return this;
    }

    /** One more process holding a socket already given (sshd's monitor shares its session's socket). */
    public FakeBastionSystem owner(long inode, int pid) {
        owners.computeIfAbsent(inode, i -> new java.util.TreeSet<>()).add(pid);
        return this;
    }

    public FakeBastionSystem socketsAfterProbe(List<TcpSocket> after) {
        this.later = List.copyOf(after);
        return this;
    }

    public FakeBastionSystem process(ProcessInfo process) {
        processes.put(process.pid(), process);
        return this;
    }

    public FakeBastionSystem account(int uid, String name, boolean tunnel) {
        names.put(uid, name);
        if (tunnel) {
            accounts.add(name);
        }
        return this;
    }

    public FakeBastionSystem keys(String account, List<AuthorizedKey> authorized) {
        keys.put(account, List.copyOf(authorized));
        return this;
    }

    public FakeBastionSystem journal(SshdLogins.Line line) {
        journal.orElseThrow().add(line);
        return this;
    }

    public FakeBastionSystem unreadableJournal() {
        journal = Optional.empty();
        return this;
    }

    public FakeBastionSystem notRoot() {
        root = false;
        owners.clear();
        return this;
    }

    @Override
    public List<TcpSocket> sockets() {
        return socketReads++ > 0 && later != null ? later : List.copyOf(sockets);
    }

    @Override
    public Map<Long, Set<Integer>> socketOwners() {
        return Map.copyOf(owners);
    }

    @Override
    public Optional<ProcessInfo> process(int pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    @Override
    public Optional<List<SshdLogins.Line>> sshdJournal() {
        return journal.map(List::copyOf);
    }

    @Override
    public Set<String> tunnelAccounts() {
        return Set.copyOf(accounts);
    }

    @Override
    public Optional<List<AuthorizedKey>> authorizedKeys(String account) {
        return root ? Optional.ofNullable(keys.get(account)) : Optional.empty();
    }

    @Override
    public Optional<String> accountName(int uid) {
        return Optional.ofNullable(names.get(uid));
    }

    @Override
    public boolean isRoot() {
        return root;
    }
}
