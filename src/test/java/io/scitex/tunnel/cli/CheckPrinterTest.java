package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.setup.PreflightCheck;
import io.scitex.tunnel.setup.PreflightCheck.Outcome;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckPrinterTest {
    private final StringWriter text = new StringWriter();

    /** Through a buffer, so that a line shows only if the printer flushed it. */
    private CheckPrinter printer(boolean symbols) {
        return new CheckPrinter(new PrintWriter(new BufferedWriter(text)), symbols);
    }

    private static PreflightCheck check(String name, Outcome outcome, String detail) {
        return new PreflightCheck(name, outcome, detail);
    }

    @Test
    void passedCheckShowsTickNameColumnAndDetail() {
        printer(true).accept(check("key", Outcome.PASSED, "/k: a private key"));

        assertThat(text).hasToString("\u2713 key        /k: a private key\n");
    }

    @Test
    void failedCheckShowsCrossAndNameWithoutDetail() {
        printer(true).accept(check("port", Outcome.FAILED, "port 2222 is taken: choose another port"));

        assertThat(text).hasToString("\u2717 port\n");
    }

    @Test
    void skippedCheckShowsDashAndDetail() {
        printer(true).accept(check("network", Outcome.SKIPPED, "--no-check: not checked"));

        assertThat(text).hasToString("- network    --no-check: not checked\n");
    }

    @Test
    void withoutSymbolsPassedIsOkAndFailedIsFail() {
        CheckPrinter printer = printer(false);

        printer.accept(check("key", Outcome.PASSED, "found"));
        printer.accept(check("network", Outcome.SKIPPED, "offline"));
        printer.accept(check("login", Outcome.FAILED, "refused"));

        assertThat(text).hasToString("ok key        found\n- network    offline\nFAIL login\n");
        assertThat(text.toString()).doesNotContain("\u2713", "\u2717", "refused");
    }

    @Test
    void detailsLineUpInOneColumn() {
        CheckPrinter printer = printer(true);
        for (String name : new String[] {"key", "programs", "permission", "bastion", "host key", "login", "port"}) {
            printer.accept(check(name, Outcome.PASSED, "detail of " + name));
        }

        assertThat(text.toString().lines()).allSatisfy(line -> assertThat(line.indexOf("detail of ")).isEqualTo(13));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abcdefghijk", "a-much-longer-check-name"})
    void longNameStaysApartFromTheDetail(String name) {
        printer(true).accept(check(name, Outcome.PASSED, "detail"));

        assertThat(text).hasToString("\u2713 " + name + " detail\n");
    }

    @Test
    void eachLineIsFlushedAtOnce() {
        CheckPrinter printer = printer(true);

        printer.accept(check("key", Outcome.PASSED, "found"));
        assertThat(text.toString()).isEqualTo("\u2713 key        found\n");
        printer.accept(check("port", Outcome.FAILED, "taken"));
        assertThat(text.toString()).endsWith("\u2717 port\n");
    }

    @Test
    void symbolsOnlyWhereTheCharsetHasThem() {
        assertThat(CheckPrinter.canShowSymbols(StandardCharsets.UTF_8)).isTrue();
        assertThat(CheckPrinter.canShowSymbols(StandardCharsets.UTF_16)).isTrue();
        assertThat(CheckPrinter.canShowSymbols(StandardCharsets.US_ASCII)).isFalse();
        assertThat(CheckPrinter.canShowSymbols(StandardCharsets.ISO_8859_1)).isFalse();
        assertThat(CheckPrinter.canShowSymbols(Charset.forName("windows-1252"))).isFalse();
    }

    @Test
    void publicConstructorDecidesByTheOutputCharset() {
        String encoding = System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name());
        boolean symbols = CheckPrinter.canShowSymbols(Charset.forName(encoding));

        new CheckPrinter(new PrintWriter(text)).accept(check("key", Outcome.PASSED, "found"));

        assertThat(text).hasToString((symbols ? "\u2713 " : "ok ") + "key        found\n");
    }
}
