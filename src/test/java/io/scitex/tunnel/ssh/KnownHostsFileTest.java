package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.testing.Fifo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("known_hosts"), "bastion ssh-ed25519 AAAA\n");

        assertThat(KnownHostsFile.read(file)).isEqualTo(new KnownHostsFile(file, "bastion ssh-ed25519 AAAA\n"));
    }

    @Test
    void refusesWhatIsNotARegularFileWithoutOpeningIt() throws Exception {
        Path fifo = Fifo.make(dir.resolve("fifo"));

        assertThatThrownBy(() -> KnownHostsFile.read(fifo)).isInstanceOf(InvalidInputException.class)
                .hasMessage("pinned host keys " + fifo + " is not a regular file");
        assertThatThrownBy(() -> KnownHostsFile.read(dir.resolve("missing"))).isInstanceOf(InvalidInputException.class)
                .hasMessage("pinned host keys " + dir.resolve("missing") + " does not exist");
    }

    @Test
    void refusesAFileFarTooBigForKnownHosts() throws Exception {
        Path big = dir.resolve("big");
        try (var out = Files.newOutputStream(big)) {
            out.write(new byte[KnownHostsFile.MAX_BYTES + 1]);
        }

        assertThatThrownBy(() -> KnownHostsFile.read(big)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("is larger than 8 MiB");
    }
}
