package io.scitex.tunnel.bastion;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the bastion's kernel, journal and files know about sshd's sessions; fast tests hand in fixtures. */
public interface BastionSystem {
    /** Every TCP socket, IPv4 and IPv6 ({@code /proc/net/tcp}, {@code /proc/net/tcp6}). */
    List<TcpSocket> sockets();

    /**
     * Socket inode → the processes holding it, for the processes this user may look into. sshd's session
     * socket is held by two: the privileged monitor and the session's own process, which holds the forwards.
     */
    Map<Long, Set<Integer>> socketOwners();

    /** A process, if it exists and may be looked at. */
    Optional<ProcessInfo> process(int pid);

    /** sshd's journal lines, oldest first; empty when this user may not read them. */
    Optional<List<SshdLogins.Line>> sshdJournal();

    /** The accounts tunnels log in as: the members of the drop-in's group. */
    Set<String> tunnelAccounts();

    /** The keys of {@code account}'s authorized_keys files; empty when they cannot be read (a reason is logged). */
    Optional<List<AuthorizedKey>> authorizedKeys(String account);

    /** The login name of {@code uid}. */
    Optional<String> accountName(int uid);

    /** Whether this process may see every process's sockets and every file (root). */
    boolean isRoot();

    /**
     * A process.
     *
     * @param command its name ({@code /proc/PID/comm})
     */
    record ProcessInfo(int pid, String command, int parent, int uid, Optional<Instant> started) {}
}
