package io.scitex.tunnel.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/** Runs setup's checks in order, reporting each as it ends; the first failure stops setup. */
final class Preflight {
    private final Consumer<PreflightCheck> progress;
    private final List<PreflightCheck> done = new ArrayList<>();

    Preflight(Consumer<PreflightCheck> progress) {
        this.progress = progress;
    }

    /** Runs a check whose supplier returns what it found, or throws (with what to do) when it fails. */
    void check(String name, Supplier<String> check) {
        check(name, check, detail -> detail);
    }

    /** Runs a check that produces a value, described by {@code detail} once the check passed. */
    <T> T check(String name, Supplier<T> check, Function<T, String> detail) {
        T value;
        try {
            value = check.get();
        } catch (RuntimeException failure) {
            report(new PreflightCheck(name, PreflightCheck.Outcome.FAILED, failure.getMessage()));
            throw failure;
        }
        report(new PreflightCheck(name, PreflightCheck.Outcome.PASSED, detail.apply(value)));
        return value;
    }

    void skip(String name, String why) {
        report(new PreflightCheck(name, PreflightCheck.Outcome.SKIPPED, why));
    }

    List<PreflightCheck> done() {
        return List.copyOf(done);
    }

    private void report(PreflightCheck check) {
        done.add(check);
        progress.accept(check);
    }
}
