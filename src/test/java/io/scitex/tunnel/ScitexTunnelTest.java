package io.scitex.tunnel;

import static io.scitex.tunnel.testing.Messages.assertOneLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.host.Users;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.NoSuchTunnelException;
import io.scitex.tunnel.setup.SetupRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScitexTunnelTest {
    @TempDir
    Path root;

    private ScitexTunnel tunnel(Map<String, String> environment) {
        return new ScitexTunnel(new SystemLayout(root.resolve("units"), root.resolve("config"), root.resolve("locks")), new CommandRunner(),
                new Programs(), environment);
    }

    private ScitexTunnel tunnel() {
        return tunnel(Map.of());
    }

    @AfterEach
    void wroteNothing() throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(p -> !p.equals(root))).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void setupRejectsBadPort(int port) {
        assertThatThrownBy(() -> tunnel().setup(port, "bastion", "/k")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-oProxyCommand=x", "a b", "a\nb", "", "user@"})
    void setupRejectsBadBastion(String bastion) {
        assertThatThrownBy(() -> tunnel().setup(2222, bastion, "/k")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("bastion").satisfies(e -> assertOneLine(e));
    }

    @Test
    void setupRejectsBadTarget() {
        assertThatThrownBy(() -> tunnel().setup(SetupRequest.builder(2222, "bastion").key("/k").target("-x:22").build()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void setupRejectsBlankKey(String key) {
        assertThatThrownBy(() -> tunnel().setup(2222, "bastion", key)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key is missing");
    }

    @Test
    void setupRejectsNullKey() {
        assertThatThrownBy(() -> tunnel().setup(2222, "bastion", null)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key is missing");
    }

    @Test
    void setupRejectsMissingKeyFile() {
        Path key = root.resolve("absent");

        assertThatThrownBy(() -> tunnel().setup(2222, "bastion", key.toString()))
                .isInstanceOf(InvalidInputException.class).hasMessage("key " + key
                        + " does not exist: give the private key file with -s KEY");
    }

    @Test
    void setupExpandsTildeToTheInvokingUsersHome() throws Exception {
        Path home = new Users(new CommandRunner(), Map.of()).invoking().home();

        assertThatThrownBy(() -> tunnel().setup(2222, "bastion", "~/no-such-key-xyz"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key " + home.resolve("no-such-key-xyz") + " does not exist");
    }

    @Test
    void setupRunsTheServiceAsTheSudoUser() {
        assertThatThrownBy(() -> tunnel(Map.of("SUDO_USER", "nobody")).setup(2222, "bastion", "~/.ssh/id_rsa"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("/.ssh/id_rsa does not exist")
                .hasMessageNotContaining(System.getProperty("user.home") + "/");
    }

    @Test
    void setupRejectsKeyPathWithControlCharacter() {
        assertThatThrownBy(() -> tunnel().setup(2222, "bastion", "/keys/a\u001bb"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("control character")
                .satisfies(e -> assertOneLine(e));
    }

    @Test
    void statusOfNoUnitsIsEmpty() {
        assertThat(tunnel().status()).isEmpty();
    }

    @Test
    void statusOfPortWithoutTunnelFails() {
        assertThatThrownBy(() -> tunnel().status(2222)).isInstanceOf(NoSuchTunnelException.class)
                .hasMessageContaining("port 2222");
    }

    @Test
    void statusRejectsBadPort() {
        assertThatThrownBy(() -> tunnel().status(0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void removeOfPortWithoutTunnelFails() {
        assertThatThrownBy(() -> tunnel().remove(2222)).isInstanceOf(NoSuchTunnelException.class);
    }

    @Test
    void removeRejectsBadPort() {
        assertThatThrownBy(() -> tunnel().remove(70000)).isInstanceOf(InvalidInputException.class);
    }
}
