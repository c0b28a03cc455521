package io.scitex.tunnel.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.model.Engine;
import io.scitex.tunnel.model.ProbeKind;
import io.scitex.tunnel.setup.DeclaredTunnel;
import io.scitex.tunnel.setup.SetupRequest;
import io.scitex.tunnel.ssh.SshPublicKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TunnelsFileWriterTest {
    private static final SshPublicKey HOST_KEY = new SshPublicKey("ssh-ed25519",
            "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl");

    @Test
    void whatItWritesReadsBackAsTheSameTunnels() {
        List<DeclaredTunnel> tunnels = List.of(
                new DeclaredTunnel(SetupRequest.builder(2222, "tunnel@bastion.example.org:2200")
                        .key("/home/al \"ice\"/.ssh/k\\ey ü").build(), Optional.of("alice"), List.of(HOST_KEY), "x"),
                new DeclaredTunnel(SetupRequest.builder(8888, "bastion.example.org").target("localhost:8888")
                        .engine(Engine.NATIVE).passphraseFile("/home/alice/p").networkChecks(false)
                        .verifyWithin(Duration.ofSeconds(40)).rollback(true).force(true).acceptNew(true).probe(ProbeKind.SILENT).build(),
                        Optional.empty(), List.of(), "y"));

        String text = TunnelsFileWriter.write(tunnels, List.of("exported\nwith a second line"));
        List<DeclaredTunnel> read = TunnelsFile.parse(text, Path.of("t.toml")).tunnels();

        assertThat(text).startsWith("# exported\\x0awith a second line\n");
        assertThat(read).extracting(DeclaredTunnel::request).isEqualTo(tunnels.stream().map(DeclaredTunnel::request).toList());
        assertThat(read).extracting(DeclaredTunnel::user).containsExactly(Optional.of("alice"), Optional.empty());
        assertThat(read).extracting(DeclaredTunnel::hostKeys).containsExactly(List.of(HOST_KEY), List.of());
    }

    @Test
    void stringsAreTomlBasicStrings() {
        assertThat(TunnelsFileWriter.string("a\"b\\c\u0007\u2028")).isEqualTo("\"a\\\"b\\\\c\\u0007\\u2028\"");
    }
}
