package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.bastion.BastionSystem.ProcessInfo;
import io.scitex.tunnel.ssh.SshPublicKey;
import io.scitex.tunnel.testing.FakeBastionSystem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BastionStatusTest {
    private static final Instant LOGIN = Instant.parse("2026-12-06T20:00:00Z");
    private static final SshPublicKey KEY_A = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIHnS7vTYW0VMGzJ3oP4iWnjv4TKcFzJ0Jb6tYQxZlW1c");
    private static final SshPublicKey KEY_B = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIFCnWYgzMnc1V4NoxU1Dzwc2e3l4r3mXKZ2vMT2ArSMo");
    private static final int TUNNEL_UID = 1001;
    private static final int DAEMON = 100;
    private static final int SESSION_A = 201;
    private static final int SESSION_B = 202;
    private static final TcpSocket DAEMON_LISTENER = listen("127.0.0.2", 2022, 0, 10);
    private static final TcpSocket SESSION_A_SOCKET = established(2022, "127.0.0.1", 40001, 0, 0, 11);
    private static final TcpSocket SESSION_B_SOCKET = established(2022, "127.0.0.3", 40002, 0, 0, 12);
    private static final TcpSocket SESSION_B_STALLED = established(2022, "127.0.0.3", 40002, 36, 3, 12);

    private static TcpSocket listen(String address, int port, int uid, long inode) {
        return new TcpSocket(address, port, "0.0.0.0", 0, TcpSocket.LISTEN, 0, 0, uid, inode);
    }

    private static TcpSocket established(int localPort, String remote, int remotePort, long queue, int retransmits,
                                         long inode) {
        return new TcpSocket("127.0.0.2", localPort, remote, remotePort, TcpSocket.ESTABLISHED, queue, retransmits,
                TUNNEL_UID, inode);
    }

    /** Two sessions of account tunnel: A holds 2251 (v4 and v6), B holds 2252; a third key may hold 2253. */
    private static FakeBastionSystem twoSessions() {
        return new FakeBastionSystem()
                .socket(DAEMON_LISTENER, DAEMON)
                .socket(SESSION_A_SOCKET, SESSION_A)
                .owner(SESSION_A_SOCKET.inode(), 199) // the session's privileged monitor shares its socket
                .socket(listen("127.0.0.1", 2251, TUNNEL_UID, 20), SESSION_A)
                .socket(listen("::1", 2251, TUNNEL_UID, 21), SESSION_A)
                .socket(SESSION_B_SOCKET, SESSION_B)
                .socket(listen("127.0.0.1", 2252, TUNNEL_UID, 22), SESSION_B)
                .socket(listen("127.0.0.1", 8080, 33, 30), 300) // a web server: not sshd's
                .process(new ProcessInfo(DAEMON, "sshd", 1, 0, Optional.empty()))
                .process(new ProcessInfo(199, "sshd", DAEMON, 0, Optional.empty()))
                .process(new ProcessInfo(SESSION_A, "sshd", 199, TUNNEL_UID, Optional.of(LOGIN.minusSeconds(5))))
                .process(new ProcessInfo(SESSION_B, "sshd", 198, TUNNEL_UID, Optional.of(LOGIN.minusSeconds(5))))
                .process(new ProcessInfo(300, "nginx", 1, 33, Optional.empty()))
                .account(TUNNEL_UID, "tunnel", true)
                .keys("tunnel", List.of(
                        new AuthorizedKey("tunnel", 1, KEY_A, "scitex-tunnel-2251@gpu01", List.of(2251)),
                        new AuthorizedKey("tunnel", 2, KEY_B, "scitex-tunnel-2252@gpu02", List.of(2252)),
                        new AuthorizedKey("tunnel", 3, KEY_B, "scitex-tunnel-2253@gpu03", List.of(2253))))
                .journal(new SshdLogins.Line(LOGIN, "Accepted publickey for tunnel from 127.0.0.1 port 40001 ssh2:"
                        + " ED25519 " + KEY_A.fingerprint()))
                .journal(new SshdLogins.Line(LOGIN.plusSeconds(1), "Accepted publickey for tunnel from 127.0.0.3"
                        + " port 40002 ssh2: ED25519 " + KEY_B.fingerprint()));
    }

    private static final class RecordingProbe implements PortProbe {
        final List<String> probed = new ArrayList<>();
        final Map<Integer, ListenerEvidence> answers;

        RecordingProbe(Map<Integer, ListenerEvidence> answers) {
            this.answers = answers;
        }

        @Override
        public synchronized ListenerEvidence probe(String address, int port) {
            probed.add(TcpSocket.endpoint(address, port));
            return answers.getOrDefault(port, new ListenerEvidence(ListenerEvidence.Outcome.SILENT, "silent"));
        }
    }

    private static final ListenerEvidence ANSWERED = new ListenerEvidence(ListenerEvidence.Outcome.ANSWERED,
            "127.0.0.1:2251 answered: SSH-2.0-OpenSSH_9.2");

    @Test
    void oneRowPerHeldPortWithItsSessionKeyAndHealthAndPermittedPortsOffline() {
        RecordingProbe probe = new RecordingProbe(Map.of(2251, ANSWERED, 2252, ANSWERED));

        BastionStatus.Report report = new BastionStatus(twoSessions(), probe).read();

        assertThat(report.limits()).isEmpty();
        assertThat(report.ports()).extracting(BastionPort::port).containsExactly(2251, 2252, 2253);
        assertThat(probe.probed).containsExactlyInAnyOrder("127.0.0.1:2251", "127.0.0.1:2252");
        BastionPort a = report.ports().get(0);
        assertThat(a.binds()).containsExactly("127.0.0.1", "::1");
        assertThat(a.account()).hasValue("tunnel");
        assertThat(a.source()).hasValue("127.0.0.1:40001");
        assertThat(a.since()).hasValue(LOGIN);
        assertThat(a.key()).hasValue(new BastionPort.KeyIdentity("ssh-ed25519", KEY_A.fingerprint(),
                "scitex-tunnel-2251@gpu01", "gpu01"));
        assertThat(a.health()).isEqualTo(PortHealth.UP);
        assertThat(a.detail()).contains("answered: SSH-2.0-OpenSSH_9.2");
        BastionPort b = report.ports().get(1);
        assertThat(b.source()).hasValue("127.0.0.3:40002");
        assertThat(b.key().orElseThrow().comment()).as("the line that logged in, not another line of the key")
                .isEqualTo("scitex-tunnel-2252@gpu02");
        BastionPort offline = report.ports().get(2);
        assertThat(offline.health()).isEqualTo(PortHealth.OFFLINE);
        assertThat(offline.binds()).isEmpty();
        assertThat(offline.key().orElseThrow().host()).isEqualTo("gpu03");
        assertThat(offline.lastSeen()).as("key B was last heard of when B logged in").hasValue(LOGIN.plusSeconds(1));
        assertThat(offline.detail()).contains("line 3 of tunnel's authorized_keys", "last seen 2026-12-06T20:00:01Z");
    }

    @Test
    void aSessionWhoseSocketStalledAfterTheProbeIsStale() {
        FakeBastionSystem system = twoSessions();
        List<TcpSocket> after = new ArrayList<>(system.sockets());
        after.replaceAll(s -> s.inode() == SESSION_B_SOCKET.inode() ? SESSION_B_STALLED : s);
        system.socketsAfterProbe(after);

        BastionStatus.Report report = new BastionStatus(system, new RecordingProbe(Map.of(2251, ANSWERED))).read();

        BastionPort b = report.ports().get(1);
        assertThat(b.health()).isEqualTo(PortHealth.STALE);
        assertThat(b.detail()).startsWith("the session's client stopped answering: 36 bytes unacknowledged after 3"
                + " retransmissions; silent");
        assertThat(report.ports().get(0).health()).isEqualTo(PortHealth.UP);
    }

    @Test
    void silenceRefusalAndClosingAreDownNeverUp() {
        for (ListenerEvidence.Outcome outcome : List.of(ListenerEvidence.Outcome.SILENT, ListenerEvidence.Outcome.CLOSED,
                ListenerEvidence.Outcome.REFUSED)) {
            ListenerEvidence evidence = new ListenerEvidence(outcome, outcome.name());
            BastionStatus.Report report = new BastionStatus(twoSessions(),
                    new RecordingProbe(Map.of(2251, evidence, 2252, evidence))).read();

            assertThat(report.ports().get(0).health()).as(outcome.name()).isEqualTo(PortHealth.DOWN);
        }
    }

    @Test
    void withoutTheJournalTheKeyComesFromTheOnlyLinePermittingThePort() {
        FakeBastionSystem system = twoSessions().unreadableJournal();

        BastionStatus.Report report = new BastionStatus(system, new RecordingProbe(Map.of())).read();

        assertThat(report.limits()).singleElement().asString().contains("sshd's journal is not readable");
        BastionPort a = report.ports().get(0);
        assertThat(a.key().orElseThrow().fingerprint()).isEqualTo(KEY_A.fingerprint());
        assertThat(a.since()).as("the session process's start").hasValue(LOGIN.minusSeconds(5));
        assertThat(report.ports().get(2).lastSeen()).isEmpty();
    }

    @Test
    void asNonRootTheTunnelAccountsListenersAreShownWithoutTheirSessionsAndTheLimitIsSaid() {
        FakeBastionSystem system = twoSessions().notRoot().unreadableJournal();

        BastionStatus.Report report = new BastionStatus(system, new RecordingProbe(Map.of(2251, ANSWERED))).read();

        assertThat(report.limits()).anySatisfy(l -> assertThat(l).startsWith("not root").contains("sudo"));
        assertThat(report.ports()).extracting(BastionPort::port).containsExactly(2251, 2252);
        assertThat(report.ports().get(0).source()).isEmpty();
        assertThat(report.ports().get(0).account()).hasValue("tunnel");
        assertThat(report.ports().get(0).health()).isEqualTo(PortHealth.UP);
    }

    @Test
    void theDaemonsOwnListenerAndOtherProgramsPortsAreNoRows() {
        BastionStatus.Report report = new BastionStatus(twoSessions(), new RecordingProbe(Map.of())).read();

        assertThat(report.ports()).extracting(BastionPort::port).doesNotContain(2022, 8080);
    }

    @Test
    void aWildcardBindIsProbedOnLoopback() {
        assertThat(BastionStatus.probeAddress("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(BastionStatus.probeAddress("::")).isEqualTo("::1");
        assertThat(BastionStatus.probeAddress("127.0.0.1")).isEqualTo("127.0.0.1");
    }
}
