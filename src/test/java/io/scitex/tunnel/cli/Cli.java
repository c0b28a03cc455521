package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.ScitexTunnel;
import io.scitex.tunnel.host.CommandRunner;
import io.scitex.tunnel.host.Programs;
import io.scitex.tunnel.host.SystemLayout;
import io.scitex.tunnel.testing.Messages;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the CLI in-process with its output captured, against a tool whose unit and config directories lie
 * in {@code root} (a temporary directory), so that nothing on this machine can be changed.
 */
final class Cli {
    private final Path root;
    private final Map<String, String> environment;

    Cli(Path root, Map<String, String> environment) {
        this.root = root;
        this.environment = environment;
    }

    Cli(Path root) {
        this(root, Map.of());
    }

    record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        /** Exit code 2 and exactly one line on stderr, ours, without a stack trace. */
        Run isUsageError() {
            return isError(ExitCode.USAGE);
        }

        Run isError(int code) {
            assertThat(exitCode).as("exit code; stderr: %s", err).isEqualTo(code);
            assertThat(errLines()).as("stderr").singleElement().asString().startsWith("scitex-tunnel: ")
                    .matches(Messages::isOneLine, "one line").doesNotContain("\tat ", "Exception");
            assertThat(out).as("stdout").isEmpty();
            return this;
        }

        Run errContains(String text) {
            assertThat(err).contains(text);
            return this;
        }
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        SystemLayout layout = new SystemLayout(root.resolve("units"), root.resolve("config"), root.resolve("locks"));
        Main main = new Main(() -> new ScitexTunnel(layout, new CommandRunner(), new Programs(), Map.of()), environment);
        int code = Main.execute(main, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Every file and directory under root: what the tool wrote. */
    List<Path> written() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> !p.equals(root)).toList();
        }
    }
}
