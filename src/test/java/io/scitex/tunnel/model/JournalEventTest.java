package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.JournalEvent.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Journalctl lines as OpenSSH 9.2, autossh 1.4 and systemd 252 write them (copied from a real journal). */
class JournalEventTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ssh child pid is 174                                                              | SSH_STARTED
            starting ssh (count 1)                                                            | SSH_STARTING
            ssh exited with error status 255; restarting ssh                                  | SSH_EXITED
            Error: remote port forwarding failed for listen port 2229                         | FORWARD_REFUSED
            Warning: remote port forwarding failed for listen port 2226                       | FORWARD_REFUSED
            @    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @                       | HOST_KEY_CHANGED
            Host key for bastion.example.com has changed and you have requested strict checking. | HOST_KEY_CHANGED
            No ED25519 host key is known for bastion.example.com and you have requested strict checking. | HOST_KEY_UNKNOWN
            Host key verification failed.                                                     | HOST_KEY_FAILED
            user@bastion.example.com: Permission denied (publickey).                          | AUTH_FAILED
            ssh: connect to host bastion.example.com port 22: Connection refused              | CONNECT_FAILED
            ssh: connect to host bastion.example.com port 22: Connection timed out            | CONNECT_FAILED
            ssh: Could not resolve hostname bastion.example.com: Name or service not known    | CONNECT_FAILED
            Timeout, server bastion.example.com not responding.                               | LINK_DEAD
            Connection to bastion.example.com closed by remote host.                          | DISCONNECTED
            client_loop: send disconnect: Broken pipe                                         | DISCONNECTED
            connect_to 127.0.0.1 port 2022: failed.                                           | TARGET_REFUSED
            autossh-tunnel-2222.service: Scheduled restart job, restart counter is at 3.      | SERVICE_RESTART
            autossh-tunnel-2222.service: Failed with result 'exit-code'.                      | SERVICE_FAILED
            Stopped autossh-tunnel-2222.service - scitex-tunnel: user@b port 2222 -> localhost:22. | SERVICE_STOPPED
            Started autossh-tunnel-2222.service - scitex-tunnel: user@b port 2222 -> localhost:22. | SERVICE_STARTED
            short poll time: adjusting net timeouts to 5000                                   | OTHER
            IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!                             | OTHER
            """)
    void classifiesWhatSshAutosshAndSystemdSay(String message, Kind kind) {
        assertThat(Kind.of(message.strip())).isEqualTo(kind);
    }

    @Test
    void anAttemptsStartNamesTheSshPid() {
        assertThat(JournalEvent.of(Instant.EPOCH, 167, "ssh child pid is 174").startedPid()).hasValue(174);
        assertThat(JournalEvent.of(Instant.EPOCH, 167, "starting ssh (count 1)").startedPid()).isEmpty();
    }

    @Test
    void theTargetRefusingAConnectionIsAProblemButDoesNotEndTheSession() {
        assertThat(Kind.TARGET_REFUSED.isProblem()).isTrue();
        assertThat(Kind.TARGET_REFUSED.endsSession()).isFalse();
        assertThat(Kind.FORWARD_REFUSED.endsSession()).isTrue();
        assertThat(Kind.SSH_STARTED.isProblem()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "autossh-tunnel-2250.service: Failed at step EXEC spawning /opt/x: No such file or directory | START_FAILED",
        "autossh-tunnel-2250.service: Failed to locate executable /opt/x: No such file or directory  | START_FAILED",
        "autossh-tunnel-2250.service: Main process exited, code=exited, status=203/EXEC              | START_FAILED",
        "autossh-tunnel-2250.service: Main process exited, code=exited, status=2/INVALIDARGUMENT     | SERVICE_FAILED",
        "Unrecognized VM option 'Foo'                                                                 | JVM_REFUSED",
        "Error: Could not create the Java Virtual Machine.                                            | JVM_REFUSED",
        "[WARN] NativeTunnel - tunnel 2250: the bastion refused to forward port 2250; asking again until it is free | FORWARD_REFUSED",
        "[WARN] NativeTunnel - tunnel 2250: the bastion closed the connection; reconnecting with backoff | ENGINE_FAILED",
        "[INFO] NativeTunnel - tunnel 2250: up, localhost:2250 on bastion user@b reaches localhost:22 | ENGINE_UP",
    })
    void startFailuresAndTheNativeEnginesLinesAreRecognised(String message, Kind kind) {
        assertThat(Kind.of(message)).isEqualTo(kind);
        assertThat(kind.isProblem()).isEqualTo(kind != Kind.ENGINE_UP);
    }
}
