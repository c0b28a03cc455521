package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The manual pages say what --help says: one page per command, every option of it, in valid roff. */
class ManPagesTest {
    private final ManPages manPages = ManPages.ofThisTool();
    private final Map<String, String> pages = manPages.pages();

    @Test
    void thereIsAPageForTheToolAndOneForEachSubcommand() {
        assertThat(pages.keySet()).first().isEqualTo("scitex-tunnel.1");
        for (Class<?> subcommand : Main.SUBCOMMANDS) {
            String name = subcommand.getAnnotation(CommandLine.Command.class).name();
            assertThat(pages).containsKey("scitex-tunnel-" + name + ".1");
        }
        assertThat(pages).hasSize(Main.SUBCOMMANDS.size() + 1);
    }

    @Test
    void eachPageNamesEveryOptionOfItsCommandWithItsDescription() {
        CommandLine commandLine = new CommandLine(new Main(() -> null, Map.of()));
        Main.SUBCOMMANDS.forEach(commandLine::addSubcommand);
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            String page = pages.get("scitex-tunnel-" + sub.getCommandName() + ".1");
            for (OptionSpec option : sub.getCommandSpec().options()) {
                assertThat(page).as(sub.getCommandName()).contains("\\fB" + ManPages.text(option.longestName()) + "\\fR");
                for (String line : option.description()) {
                    assertThat(page).as(sub.getCommandName() + " " + option.longestName()).contains(ManPages.text(line));
                }
            }
        }
    }

    @Test
    void setupsPageCarriesItsHeaderSynopsisAndTheHelpTextItsBundleGives() {
        String setup = pages.get("scitex-tunnel-setup.1");

        assertThat(setup).startsWith(".\\\" Generated").contains(".TH \"SCITEX\\-TUNNEL\\-SETUP\" 1 ",
                ".SH NAME\nscitex\\-tunnel\\-setup \\- Set up a persistent reverse tunnel",
                ".SH SYNOPSIS\n.nf\nscitex\\-tunnel setup ", "\\fB\\-\\-engine\\fR=\\fIENGINE\\fR",
                "else the tunnel's own key from `scitex\\-tunnel keygen");
    }

    @Test
    void theToolsPageListsTheCommandsAndTheirPages() {
        assertThat(pages.get("scitex-tunnel.1")).contains(".SH COMMANDS", "\\fBsetup\\fR\n",
                "See \\fBscitex\\-tunnel\\-status\\fR(1).", ".SH SEE ALSO\n\\fBscitex\\-tunnel\\-setup\\fR(1)");
    }

    @Test
    void textThatLooksLikeARoffRequestOrEscapeIsProtected() {
        assertThat(ManPages.text(".TH not a request")).isEqualTo("\\&.TH not a request");
        assertThat(ManPages.text("'quoted")).isEqualTo("\\&'quoted");
        assertThat(ManPages.text("a\\b-c")).isEqualTo("a\\eb\\-c");
    }
}
