package io.scitex.tunnel.cli;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.Version;
import io.scitex.tunnel.model.InvalidInputException;
import io.scitex.tunnel.model.Printable;
import io.scitex.tunnel.model.ServiceScope;
import io.scitex.tunnel.model.TunnelException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code scitex-tunnel}: the entry point, which maps every outcome to one line and an exit code. */
@Command(name = "scitex-tunnel",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Persistent SSH reverse tunnels from machines behind NAT to a bastion, kept alive by systemd.",
            "",
            "Host (behind NAT) --[reverse tunnel]--> Bastion Server <--[SSH]--> Client",
            ""},
        footer = {"",
            "Try it on this machine first (no root, no bastion needed):",
            "  scitex-tunnel demo",
            "",
            "Example:",
            "  sudo scitex-tunnel setup -p 2222 -b user@bastion.example.com -s ~/.ssh/id_rsa",
            "  scitex-tunnel status",
            "  sudo scitex-tunnel logs -p 2222 -f",
            "  sudo scitex-tunnel remove -p 2222",
            "",
            "Without root (a tunnel of your own, as a systemd user service):",
            "  scitex-tunnel setup --user -p 2222 -b user@bastion.example.com -s ~/.ssh/id_rsa",
            "  scitex-tunnel status --user",
            "",
            "Exit codes: 0 success, 1 failure, 2 usage error, 3 a tunnel is not up (status, doctor),"
                    + " 4 no tunnel on PORT; run: 78 its configuration can never work."})
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(SetupCommand.class, StatusCommand.class, LogsCommand.class,
            DoctorCommand.class, RemoveCommand.class, KeygenCommand.class, AuthorizeCommand.class, SshConfigCommand.class,
            BastionCommand.class, RunCommand.class,
            DemoCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);
    /** Commands that describe the others, and so need all of them. */
    private static final Set<Class<?>> ABOUT_OTHERS = Set.of(CompletionCommand.class, CommandLine.HelpCommand.class);

    private final Function<ServiceScope, ScitexTunnel> api;
    private final Map<String, String> environment;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** One API for both scopes (tests). */
    public Main(Supplier<ScitexTunnel> api, Map<String, String> environment) {
        this(scope -> api.get(), environment);
    }

    /** @param api the API for the machine's tunnels and for the user's own ({@code --user}) */
    public Main(Function<ServiceScope, ScitexTunnel> api, Map<String, String> environment) {
        this.api = api;
        this.environment = Map.copyOf(environment);
    }

    public static void main(String[] args) {
        System.exit(execute(new Main(scope -> scope == ServiceScope.USER ? ScitexTunnel.user() : ScitexTunnel.system(),
                System.getenv()), args));
    }

    /** Runs the command line and returns its exit code. */
    public static int execute(Main main, String... args) {
        return execute(main, null, null, args);
    }

    /**
     * Runs the command line with its output and errors going to {@code out} and {@code err} (picocli's
     * stdout and stderr writers when null) and returns its exit code.
     */
    public static int execute(Main main, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(main);
        subcommandsFor(args).forEach(commandLine::addSubcommand);
        commandLine.setExecutionExceptionHandler(Main::handleFailure)
                .setParameterExceptionHandler(Main::handleUsageError);
        commandLine.setAbbreviatedSubcommandsAllowed(false);
        if (out != null) {
            commandLine.setOut(out);
        }
        if (err != null) {
            commandLine.setErr(err);
        }
        return commandLine.execute(args);
    }

    /**
     * The subcommands this command line needs: only the one it names, when it names one (picocli builds the
     * model of each subcommand it is given, which is most of the CLI's start-up time); all of them otherwise,
     * for the top-level help, help and completion, and picocli's suggestions for a mistyped name.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                Command command = subcommand.getAnnotation(Command.class);
                boolean named = command.name().equals(args[0]) || List.of(command.aliases()).contains(args[0]);
                if (named && !ABOUT_OTHERS.contains(subcommand)) {
                    return List.of(subcommand);
                }
            }
        }
        return SUBCOMMANDS;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is missing: setup, status, remove, run or demo");
    }

    ScitexTunnel api(ServiceScope scope) {
        return api.apply(scope);
    }

    Map<String, String> environment() {
        return environment;
    }

    private static int handleFailure(Exception failure, CommandLine command, ParseResult parsed) {
        boolean verbose = "debug".equals(System.getProperty(VerbosityMixin.LOG_LEVEL_PROPERTY));
        // Our own failures carry a one-line message meant for people; anything else is a bug, shown as such.
        boolean explained = failure instanceof InvalidInputException || failure instanceof TunnelException;
        String message = explained ? failure.getMessage()
                : "unexpected error: " + failure + (verbose ? "" : " (run with -v for details)");
        command.getErr().println("scitex-tunnel: " + Printable.escape(message));
        if (verbose) {
            failure.printStackTrace(command.getErr());
        }
        return ExitCode.of(failure, command);
    }

    private static int handleUsageError(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        // A value the model rejected reads as it did when commands parsed their values themselves.
        String message = error.getCause() instanceof ModelConverter.InvalidValue invalid ? invalid.getMessage()
                : error.getMessage() + " (see '" + command.getCommandSpec().qualifiedName() + " --help')";
        command.getErr().println("scitex-tunnel: " + Printable.escape(message));
        return ExitCode.of(error, command);
    }

    /** {@code --version}: the version the build wrote into the artifact. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"scitex-tunnel " + Version.current()};
        }
    }
}
