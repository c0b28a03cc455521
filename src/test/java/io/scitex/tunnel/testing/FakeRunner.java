package io.scitex.tunnel.testing;

import io.scitex.tunnel.host.CommandResult;
import io.scitex.tunnel.host.CommandRunner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A {@link CommandRunner} that runs nothing: it records each argv and answers with a canned result. */
public final class FakeRunner extends CommandRunner {
    /** What the fake answers for an argv. */
    @FunctionalInterface
    public interface Answer {
        CommandResult answer(List<String> argv) throws IOException;
    }

    private final List<List<String>> commands = new ArrayList<>();
    private final Answer answer;

    public FakeRunner(Answer answer) {
        this.answer = answer;
    }

    /** Every command succeeds and prints {@code stdout}. */
    public static FakeRunner succeeding(String stdout) {
        return new FakeRunner(argv -> new CommandResult(argv, 0, stdout, ""));
    }

    public static FakeRunner failing(int exitCode, String stderr) {
        return new FakeRunner(argv -> new CommandResult(argv, exitCode, "", stderr));
    }

    public static FakeRunner throwing(String message) {
        return new FakeRunner(argv -> {
            throw new IOException(message);
        });
    }

    @Override
    public synchronized CommandResult run(List<String> argv) throws IOException {
        commands.add(List.copyOf(argv));
        return answer.answer(argv);
    }

    public synchronized List<List<String>> commands() {
        return commands;
    }
}
