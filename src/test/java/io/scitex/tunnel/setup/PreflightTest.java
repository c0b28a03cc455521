package io.scitex.tunnel.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.TunnelException;
import io.scitex.tunnel.setup.PreflightCheck.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PreflightTest {
    private final List<PreflightCheck> reported = new ArrayList<>();
    private final Preflight preflight = new Preflight(reported::add);

    @Test
    void reportsEachCheckInOrderWithItsOutcome() {
        preflight.check("key", () -> "a private key");
        preflight.skip("network", "--no-check");
        int value = preflight.check("port", () -> 2222, port -> "port " + port + " is free");

        assertThat(value).isEqualTo(2222);
        List<PreflightCheck> expected = List.of(
                new PreflightCheck("key", Outcome.PASSED, "a private key"),
                new PreflightCheck("network", Outcome.SKIPPED, "--no-check"),
                new PreflightCheck("port", Outcome.PASSED, "port 2222 is free"));
        assertThat(reported).containsExactlyElementsOf(expected);
        assertThat(preflight.done()).containsExactlyElementsOf(expected);
    }

    @Test
    void reportsACheckAsSoonAsItEnds() {
        List<Integer> seenDuringSecond = new ArrayList<>();

        preflight.check("first", () -> "one");
        preflight.check("second", () -> {
            seenDuringSecond.add(reported.size());
            return "two";
        });

        assertThat(seenDuringSecond).containsExactly(1);
        assertThat(reported).extracting(PreflightCheck::name).containsExactly("first", "second");
    }

    @Test
    void failureIsReportedWithItsMessageAndRethrownUnchanged() {
        TunnelException failure = new TunnelException("port 2222 is taken on the bastion: choose another port");
        preflight.check("login", () -> "accepted");

        assertThatThrownBy(() -> preflight.check("port", () -> {
            throw failure;
        })).isSameAs(failure);

        assertThat(reported).containsExactly(
                new PreflightCheck("login", Outcome.PASSED, "accepted"),
                new PreflightCheck("port", Outcome.FAILED, "port 2222 is taken on the bastion: choose another port"));
        assertThat(preflight.done()).isEqualTo(reported);
    }

    @Test
    void detailIsNotAskedForWhenTheCheckFails() {
        AtomicInteger detailCalls = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("broken");

        assertThatThrownBy(() -> preflight.check("login", () -> {
            throw failure;
        }, value -> "detail " + detailCalls.incrementAndGet())).isSameAs(failure);

        assertThat(detailCalls).hasValue(0);
        assertThat(reported).singleElement().isEqualTo(new PreflightCheck("login", Outcome.FAILED, "broken"));
    }

    @Test
    void doneIsAnUnmodifiableSnapshot() {
        preflight.check("key", () -> "ok");
        List<PreflightCheck> snapshot = preflight.done();

        preflight.skip("network", "offline");

        assertThat(snapshot).extracting(PreflightCheck::name).containsExactly("key");
        assertThat(preflight.done()).extracting(PreflightCheck::name).containsExactly("key", "network");
        assertThatThrownBy(() -> snapshot.add(new PreflightCheck("x", Outcome.PASSED, "")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nothingIsReportedBeforeTheFirstCheck() {
        assertThat(preflight.done()).isEmpty();
        assertThat(reported).isEmpty();
    }
}
