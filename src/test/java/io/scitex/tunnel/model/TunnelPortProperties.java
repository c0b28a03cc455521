package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.testing.Addresses;
import io.scitex.tunnel.testing.Messages;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;

// Generated cases per run: 4000 (3 properties: 2000 + 1000 + 1000 tries).
class TunnelPortProperties {
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    @Property(tries = 2000)
    void parsesToAPortOrRejectsInOneLine(@ForAll("portTexts") String text) {
        int port;
        try {
            port = TunnelPort.parse(text);
        } catch (InvalidInputException rejected) {
            BastionAddressProperties.outcome("rejected");
            assertThat(rejected.getMessage()).matches(Messages::isOneLine, "is one line");
            return;
        }
        BastionAddressProperties.outcome("parsed");
        assertThat(port).isBetween(1, 65535);
        assertThat(text).matches("[0-9]{1,5}");
        assertThat(TunnelPort.parse(Integer.toString(port))).isEqualTo(port);
        assertThat(Integer.parseInt(text)).isEqualTo(port);
    }

    @Property(tries = 1000)
    void checkAcceptsExactlyTheRange1To65535(@ForAll int port) {
        if (port >= 1 && port <= 65535) {
            assertThat(TunnelPort.check(port)).isEqualTo(port);
        } else {
            assertThatThrownBy(() -> TunnelPort.check(port)).isInstanceOf(InvalidInputException.class);
        }
    }

    @Property(tries = 1000)
    void parseAgreesWithCheckOnDecimalText(@ForAll("ports") int port) {
        String text = Integer.toString(port);
        if (port >= 1 && port <= 65535) {
            assertThat(TunnelPort.parse(text)).isEqualTo(port);
        } else {
            assertThatThrownBy(() -> TunnelPort.parse(text)).isInstanceOf(InvalidInputException.class);
        }
    }

    @Provide
    Arbitrary<String> portTexts() {
        return Addresses.hostile(Addresses.port());
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(-70000, 140000).edgeCases(e -> e.includeOnly(-1, 0, 1, 65535, 65536));
    }
}
