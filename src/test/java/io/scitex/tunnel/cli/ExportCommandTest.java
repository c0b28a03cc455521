package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.fleet.TunnelsFile;
import io.scitex.tunnel.testing.TunnelUnits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    Path root;

    @Test
    void printsAPythonToolTunnelAsATunnelsFileThatReadsBack() {
        new TunnelUnits(root.resolve("units")).python(2225, "-M 0 -o \"ServerAliveInterval 30\" -NR 2225:localhost:22"
                + " user@bastion.example.com -i /root/.ssh/id_rsa");

        Cli.Run run = new Cli(root).run("export");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("# Tunnels exported by scitex-tunnel ").contains("[[tunnel]]\nport = 2225\n"
                + "bastion = \"user@bastion.example.com\"\ntarget = \"localhost:22\"\nuser = \"root\"\n"
                + "key = \"/root/.ssh/id_rsa\"\n");
        assertThat(TunnelsFile.parse(run.out(), Path.of("exported")).tunnels()).singleElement()
                .satisfies(t -> assertThat(t.request().key()).isEqualTo("/root/.ssh/id_rsa"));
    }

    @Test
    void aMachineWithoutTunnelsExportsAFileWithoutTunnels() {
        Cli.Run run = new Cli(root).run("export");

        assertThat(run.exitCode()).isZero();
        assertThat(TunnelsFile.parse(run.out(), Path.of("exported")).tunnels()).isEmpty();
    }
}
