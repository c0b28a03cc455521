package io.scitex.tunnel.cli;

import io.scitex.tunnel.PreflightCheck;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * Prints each check as one line: {@code ✓ name  detail} when it passed, {@code - name  detail} when it was
 * skipped, {@code ✗ name} when it failed (the reason and what to do follow as the error on stderr).
 * Terminals that cannot show ✓ and ✗ get "ok" and "FAIL".
 */
final class CheckPrinter implements Consumer<PreflightCheck> {
    private final PrintWriter out;
    private final boolean symbols;

    CheckPrinter(PrintWriter out) {
        this.out = out;
        String encoding = System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name()); // as picocli's
        this.symbols = Charset.forName(encoding).newEncoder().canEncode("\u2713\u2717");
    }

    @Override
    public void accept(PreflightCheck check) {
        String mark = switch (check.outcome()) {
            case PASSED -> symbols ? "\u2713" : "ok";
            case FAILED -> symbols ? "\u2717" : "FAIL";
            case SKIPPED -> "-";
        };
        String line = String.format("%s %-11s", mark, check.name());
        out.println(check.outcome() == PreflightCheck.Outcome.FAILED ? line.stripTrailing() : line + check.detail());
        out.flush();
    }
}
