package io.scitex.tunnel.cli;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The manual pages, rendered in roff from the same picocli model that prints {@code --help}, so that the two
 * never drift apart: {@code scitex-tunnel(1)} and one {@code scitex-tunnel-COMMAND(1)} per subcommand. The
 * package build runs {@link #main} ({@code java -cp scitex-tunnel.jar io.scitex.tunnel.cli.ManPages DIR}).
 */
public final class ManPages {
    private static final String TOOL = "scitex-tunnel";
    private final CommandLine root;

    ManPages(CommandLine root) {
        this.root = root;
    }

    /** The command line of this tool with every subcommand, as top-level help sees it. */
    static ManPages ofThisTool() {
        CommandLine commandLine = new CommandLine(new Main(ScitexTunnel::system, Map.of()));
        Main.SUBCOMMANDS.forEach(commandLine::addSubcommand);
        return new ManPages(commandLine);
    }

    /** Writes {@code scitex-tunnel.1} and {@code scitex-tunnel-COMMAND.1} files into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp scitex-tunnel.jar " + ManPages.class.getName() + " DIRECTORY");
            System.exit(ExitCode.USAGE);
        }
        Path directory = Files.createDirectories(Path.of(args[0]));
        for (Map.Entry<String, String> page : ofThisTool().pages().entrySet()) {
            Files.writeString(directory.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** Each page's file name and its roff text, the tool's own page first. */
    Map<String, String> pages() {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put(TOOL + ".1", render(root.getCommandSpec(), subcommandNames()));
        for (CommandLine sub : subcommands()) {
            pages.put(pageName(sub.getCommandSpec()) + ".1", render(sub.getCommandSpec(), List.of()));
        }
        return pages;
    }

    private List<CommandLine> subcommands() {
        return root.getSubcommands().values().stream().distinct()
                .filter(sub -> !sub.getCommandSpec().usageMessage().hidden()).collect(Collectors.toList());
    }

    private List<String> subcommandNames() {
        return subcommands().stream().map(sub -> pageName(sub.getCommandSpec())).collect(Collectors.toList());
    }

    private static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    private String render(CommandSpec spec, List<String> subpages) {
        StringBuilder page = new StringBuilder();
        String name = pageName(spec);
        page.append(".\\\" Generated from the command line's own model (io.scitex.tunnel.cli.ManPages): edit the"
                + " @Command annotations, not this file.\n");
        page.append(".TH ").append(quoted(name.toUpperCase(Locale.ROOT))).append(" 1 \"\" ")
                .append(quoted(TOOL + " " + Version.current())).append(" \"User Commands\"\n");
        page.append(".SH NAME\n").append(text(name)).append(" \\- ").append(text(header(spec))).append('\n');
        page.append(".SH SYNOPSIS\n.nf\n")
                .append(text(new CommandLine.Help(spec).synopsis(0).strip())).append("\n.fi\n");
        List<String> description = List.of(spec.usageMessage().description());
        if (!description.isEmpty()) {
            page.append(".SH DESCRIPTION\n");
            lines(page, description);
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).collect(Collectors.toList());
        List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden())
                .collect(Collectors.toList());
        if (!options.isEmpty() || !positionals.isEmpty()) {
            page.append(".SH OPTIONS\n");
            for (PositionalParamSpec positional : positionals) {
                page.append(".TP\n").append(bold(positional.paramLabel())).append('\n');
                lines(page, List.of(positional.description()));
            }
            for (OptionSpec option : options) {
                page.append(".TP\n").append(optionTerm(option)).append('\n');
                lines(page, List.of(option.description()));
            }
        }
        if (!subpages.isEmpty()) {
            page.append(".SH COMMANDS\n");
            for (CommandLine sub : subcommands()) {
                page.append(".TP\n").append(bold(sub.getCommandName())).append('\n')
                        .append(text(header(sub.getCommandSpec()))).append(" See ")
                        .append(bold(pageName(sub.getCommandSpec()))).append("(1).\n");
            }
        }
        List<String> footer = List.of(spec.usageMessage().footer());
        if (!footer.isEmpty()) {
            page.append(".SH NOTES\n");
            lines(page, footer);
        }
        page.append(".SH SEE ALSO\n");
        List<String> seeAlso = new ArrayList<>(subpages.isEmpty() ? List.of(TOOL) : subpages);
        seeAlso.addAll(List.of("systemctl", "journalctl", "ssh", "autossh"));
        page.append(seeAlso.stream().map(s -> bold(s) + "(1)").collect(Collectors.joining(",\n"))).append('\n');
        return page.toString();
    }

    private static String header(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String first = header.length > 0 ? header[0] : spec.usageMessage().description().length > 0
                ? spec.usageMessage().description()[0] : TOOL;
        return first.endsWith(".") ? first.substring(0, first.length() - 1) : first;
    }

    private static String optionTerm(OptionSpec option) {
        String names = List.of(option.names()).stream().map(ManPages::bold).collect(Collectors.joining(", "));
        return option.arity().max() > 0 ? names + "=" + italic(option.paramLabel()) : names;
    }

    /** Help text lines as roff: blank lines become paragraph breaks, indented lines stay as they are. */
    private static void lines(StringBuilder page, List<String> lines) {
        boolean literal = false;
        for (String line : lines) {
            if (line.isBlank()) {
                if (literal) {
                    page.append(".fi\n");
                    literal = false;
                }
                page.append(".PP\n");
            } else if (line.startsWith(" ")) {
                if (!literal) {
                    page.append(".nf\n");
                    literal = true;
                }
                page.append(text(line)).append('\n');
            } else {
                if (literal) {
                    page.append(".fi\n");
                    literal = false;
                }
                page.append(text(line)).append('\n');
            }
        }
        if (literal) {
            page.append(".fi\n");
        }
    }

    private static String bold(String word) {
        return "\\fB" + text(word) + "\\fR";
    }

    private static String italic(String word) {
        return "\\fI" + text(word) + "\\fR";
    }

    private static String quoted(String word) {
        return "\"" + text(word).replace("\"", "\\(dq") + "\"";
    }

    /**
     * Plain text for roff: backslashes and hyphens escaped (a hyphen would print as a Unicode hyphen, and an
     * option such as --engine could not be copied), a line that starts with a control character protected.
     */
    static String text(String plain) {
        String escaped = plain.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
