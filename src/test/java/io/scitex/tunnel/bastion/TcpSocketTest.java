package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpSocketTest {
    /** Lines as this machine's kernel printed them for an sshd session holding port 2299 (fixture). */
    static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               2: 0100007F:08FB 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 16641 1 000000002d4b2c81 100 0 0 10 0
               3: 0100007F:08F3 0100007F:CF06 01 00000000:00000000 02:0000A8F5 00000000     0        0 16630 2 0000000095dbd9d8 20 4 30 10 -1
               4: 0200007F:07E6 0300007F:B00C 01 00000068:00000000 01:00000123 00000004  1001        0 17000 2 0000000095dbd9d8 20 4 30 10 -1
            """;
    static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000001000000:08FB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1001        0 16640 1 000000001da09607 100 0 0 10 0
            """;

    @Test
    void readsListenersSessionsAndTheirQueues() {
        List<TcpSocket> sockets = TcpSocket.parseTable(TCP);

        assertThat(sockets).hasSize(3);
        assertThat(sockets.get(0)).isEqualTo(new TcpSocket("127.0.0.1", 2299, "0.0.0.0", 0, TcpSocket.LISTEN, 0, 0, 1001, 16641));
        assertThat(sockets.get(0).isListening()).isTrue();
        assertThat(sockets.get(1).isEstablished()).isTrue();
        assertThat(sockets.get(1).remote()).isEqualTo("127.0.0.1:52998");
        assertThat(sockets.get(1).isStalled()).isFalse();
        assertThat(sockets.get(2).remote()).isEqualTo("127.0.0.3:45068");
        assertThat(sockets.get(2).sendQueue()).isEqualTo(0x68);
        assertThat(sockets.get(2).retransmits()).isEqualTo(4);
        assertThat(sockets.get(2).isStalled()).as("unacknowledged and retransmitted").isTrue();
    }

    @Test
    void readsIpv6Listeners() {
        List<TcpSocket> sockets = TcpSocket.parseTable(TCP6);

        assertThat(sockets).singleElement().satisfies(s -> {
            assertThat(s.localAddress()).isEqualTo("::1");
            assertThat(s.localPort()).isEqualTo(2299);
            assertThat(s.remoteAddress()).isEqualTo("::");
            assertThat(s.remote()).isEqualTo("[::]:0");
        });
    }

    @ParameterizedTest
    @CsvSource({
        "0100007F, 127.0.0.1",
        "00000000, 0.0.0.0",
        "0200A8C0, 192.168.0.2",
        "0000000000000000FFFF00000100007F, 127.0.0.1",
        "B80D0120000000000000000001000000, 2001:db8::1",
        "000080FE000000000000000001000000, fe80::1"})
    void decodesTheKernelsAddresses(String hex, String address) {
        assertThat(TcpSocket.address(hex)).isEqualTo(address);
    }

    @Test
    void skipsLinesOfAnotherLayout() {
        assertThat(TcpSocket.parseTable("garbage\n  1: nothing here\n\n")).isEmpty();
    }

    @Test
    void onlyUnacknowledgedDataThatWasRetransmittedIsAStall() {
        TcpSocket idle = new TcpSocket("127.0.0.2", 22, "127.0.0.3", 4000, TcpSocket.ESTABLISHED, 0, 0, 0, 1);
        TcpSocket inFlight = new TcpSocket("127.0.0.2", 22, "127.0.0.3", 4000, TcpSocket.ESTABLISHED, 36, 0, 0, 1);
        TcpSocket stalled = new TcpSocket("127.0.0.2", 22, "127.0.0.3", 4000, TcpSocket.ESTABLISHED, 36, 2, 0, 1);

        assertThat(idle.isStalled()).isFalse();
        assertThat(inFlight.isStalled()).isFalse();
        assertThat(stalled.isStalled()).isTrue();
    }
}
