package io.scitex.tunnel.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code completion}: prints a bash/zsh completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        header = "Print a bash/zsh completion script.",
        description = {
            "Print a completion script for bash and zsh. Load it with:",
            "  source <(scitex-tunnel completion)",
            "(zsh: run `autoload -U +X bashcompinit && bashcompinit` first)."})
final class CompletionCommand extends TunnelCommand {
    @Override
    public Integer call() {
        out().print(AutoComplete.bash("scitex-tunnel", spec.parent().commandLine()));
        out().flush();
        return ExitCode.OK;
    }
}
