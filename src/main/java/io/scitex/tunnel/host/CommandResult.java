package io.scitex.tunnel.host;

import java.util.List;

/** How an external command ended, with everything it printed. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The first non-blank line of stderr, else of stdout: what to show the user when the command failed. */
    public String firstErrorLine() {
        for (String text : List.of(stderr, stdout)) {
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
        }
        return "exit code " + exitCode;
    }
}
