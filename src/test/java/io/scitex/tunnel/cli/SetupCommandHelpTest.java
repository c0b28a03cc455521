package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class SetupCommandHelpTest {
    @Test
    void loadsAsTheBundleSetupNames() {
        ResourceBundle bundle = ResourceBundle.getBundle("io.scitex.tunnel.cli.SetupCommandHelp");

        assertThat(bundle.keySet()).containsExactly(TunnelOptionsMixin.KEY_HELP);
        assertThat(bundle.getString(TunnelOptionsMixin.KEY_HELP)).contains("$SCITEX_TUNNEL_SECRET_KEY_PATH")
                .contains("`scitex-tunnel keygen -p PORT`");
    }

    @Test
    void setupIsTheOnlyCommandWithABundle() {
        for (Class<?> command : Main.SUBCOMMANDS) {
            String bundle = command.getAnnotation(picocli.CommandLine.Command.class).resourceBundle();
            assertThat(bundle).as(command.getSimpleName())
                    .isEqualTo(command == SetupCommand.class ? SetupCommandHelp.class.getName() : "");
        }
    }
}
