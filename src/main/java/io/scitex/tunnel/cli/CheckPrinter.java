package io.scitex.tunnel.cli;

import io.scitex.tunnel.setup.PreflightCheck;
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
        // the charset picocli's stdout writer uses
        this(out, canShowSymbols(Charset.forName(System.getProperty("sun.stdout.encoding",
                Charset.defaultCharset().name()))));
    }

    /** A printer that marks checks with ✓ and ✗ when {@code symbols} is set, else with "ok" and "FAIL". */
    CheckPrinter(PrintWriter out, boolean symbols) {
        this.out = out;
        this.symbols = symbols;
    }

    /** Whether text in {@code charset} can show ✓ and ✗. */
    static boolean canShowSymbols(Charset charset) {
        return charset.canEncode() && charset.newEncoder().canEncode("\u2713\u2717");
    }

    @Override
    public void accept(PreflightCheck check) {
        String mark = switch (check.outcome()) {
            case PASSED -> symbols ? "\u2713" : "ok";
            case FAILED -> symbols ? "\u2717" : "FAIL";
            case SKIPPED -> "-";
        };
        String line = String.format("%s %-10s ", mark, check.name()); // a blank after any name
        out.println(check.outcome() == PreflightCheck.Outcome.FAILED ? line.stripTrailing() : line + check.detail());
        out.flush();
    }
}
