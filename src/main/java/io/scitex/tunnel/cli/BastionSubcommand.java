package io.scitex.tunnel.cli;

import io.scitex.tunnel.ScitexTunnel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What the {@code bastion} subcommands share: verbosity, the API, where output goes. */
abstract class BastionSubcommand implements Callable<Integer> {
    @Mixin
    VerbosityMixin verbosity;

    @Spec
    CommandSpec spec;

    @ParentCommand
    BastionCommand bastion;

    ScitexTunnel api() {
        return bastion.api();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
