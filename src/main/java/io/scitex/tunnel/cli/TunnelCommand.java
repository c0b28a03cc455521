package io.scitex.tunnel.cli;

import io.scitex.tunnel.ScitexTunnel;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: verbosity, the API it drives, and where its output goes. */
abstract class TunnelCommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    /** The API for the tunnels {@code --user} chose: the machine's or the user's own. */
    ScitexTunnel api(ScopeMixin scope) {
        return main.api(scope.scope());
    }

    /** The environment the command line came with (tests give their own). */
    Map<String, String> environment() {
        return main.environment();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
