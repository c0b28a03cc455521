package io.scitex.tunnel.bastion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SshdLoginsTest {
    private static final Instant T0 = Instant.parse("2026-12-06T20:00:00Z");
    private static final String FP = "SHA256:C/VSgsFKwtBdeoPiMufW8ucGUZ+i/uJzvqrOBox+RrA";

    private static SshdLogins.Line at(int seconds, String message) {
        return new SshdLogins.Line(T0.plusSeconds(seconds), message);
    }

    @Test
    void findsTheLoginOfASessionByItsClientAndWhenItWasLastHeardOf() {
        SshdLogins logins = SshdLogins.of(List.of(
                at(0, "Connection from 127.0.0.3 port 45068 on 127.0.0.2 port 2022 rdomain \"\""),
                at(1, "Accepted key ED25519 " + FP + " found at /srv/keys/tunnel:2"),
                at(1, "Accepted publickey for tunnel from 127.0.0.3 port 45068 ssh2: ED25519 " + FP),
                at(2, "Accepted publickey for other from ::1 port 40000 ssh2: RSA SHA256:abc"),
                at(30, "Timeout, client not responding from user tunnel 127.0.0.3 port 45068")));

        assertThat(logins.of("127.0.0.3:45068")).hasValueSatisfying(login -> {
            assertThat(login.account()).isEqualTo("tunnel");
            assertThat(login.at()).isEqualTo(T0.plusSeconds(1));
            assertThat(login.keyType()).isEqualTo("ED25519");
            assertThat(login.fingerprint()).isEqualTo(FP);
        });
        assertThat(logins.of("[::1]:40000")).hasValueSatisfying(l -> assertThat(l.account()).isEqualTo("other"));
        assertThat(logins.of("127.0.0.3:1")).isEmpty();
        assertThat(logins.lastSeen(FP)).hasValue(T0.plusSeconds(30));
        assertThat(logins.lastSeen("SHA256:abc")).as("never heard of after its login").hasValue(T0.plusSeconds(2));
        assertThat(logins.lastSeen("SHA256:none")).isEmpty();
    }

    @Test
    void aNewerLoginOfTheSameKeyIsItsLastSeenWhenNewer() {
        SshdLogins logins = SshdLogins.of(List.of(
                at(0, "Accepted publickey for t from 10.0.0.1 port 1000 ssh2: ED25519 " + FP),
                at(5, "Disconnected from user t 10.0.0.1 port 1000"),
                at(9, "Accepted publickey for t from 10.0.0.1 port 1001 ssh2: ED25519 " + FP)));

        assertThat(logins.lastSeen(FP)).hasValue(T0.plusSeconds(9));
    }

    @Test
    void linesThatNameNoLoginChangeNothing() {
        SshdLogins logins = SshdLogins.of(List.of(at(0, "Server listening on 127.0.0.2 port 2022."),
                at(1, "Accepted publickey for evil\u001b[31m from garbage")));

        assertThat(logins.lastSeen(FP)).isEmpty();
    }
}
