package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class HomePathConverterTest {
    private static final Path HOME = Path.of("/home/alice");
    private final HomePathConverter converter = new HomePathConverter(HOME);

    @TempDir
    Path root;

    @Test
    void aLeadingTildeIsTheHome() {
        assertThat(converter.convert("~")).isEqualTo(HOME);
        assertThat(converter.convert("~/.ssh/id_ed25519")).isEqualTo(HOME.resolve(".ssh/id_ed25519"));
        assertThat(converter.convert("~/a/../b")).isEqualTo(HOME.resolve("b"));
    }

    @Test
    void otherPathsAreMadeAbsoluteOnly() {
        Path here = Path.of("").toAbsolutePath();
        assertThat(converter.convert("/etc/scitex-tunnel/2222/known_hosts"))
                .isEqualTo(Path.of("/etc/scitex-tunnel/2222/known_hosts"));
        assertThat(converter.convert("keys/k")).isEqualTo(here.resolve("keys/k"));
        assertThat(converter.convert("~bob/k")).as("another user's home is not guessed").isEqualTo(here.resolve("~bob/k"));
        assertThat(converter.convert("a~/k")).isEqualTo(here.resolve("a~/k"));
    }

    @Test
    void theDefaultHomeIsThisUsers() {
        assertThat(new HomePathConverter().convert("~")).isEqualTo(Path.of(System.getProperty("user.home")));
    }

    @Test
    void rejectsAnEmptyName() {
        assertThatThrownBy(() -> converter.convert(" ")).isInstanceOf(TypeConversionException.class)
                .hasMessage("the file name is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--known-hosts", "--passphrase-file"})
    void runRejectsAnEmptyFileNameAsAConfigurationError(String option) {
        new Cli(root, Map.of("RUNTIME_DIRECTORY", root.toString()))
                .run("run", "-p", "2222", "-b", "bastion", "-s", "/nonexistent/key", option, "")
                .isError(ExitCode.CONFIG).errContains(option).errContains("the file name is empty");
    }
}
