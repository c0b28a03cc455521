package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.testing.Addresses;
import io.scitex.tunnel.testing.Messages;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.StatisticsReport;

// Generated cases per run: 3000 (1 property: 3000 tries).
class TargetAddressProperties {
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    @Property(tries = 3000)
    void parsesToASafeAddressOrRejectsInOneLine(@ForAll("targets") String text) {
        TargetAddress address;
        try {
            address = TargetAddress.parse(text);
        } catch (InvalidInputException rejected) {
            BastionAddressProperties.outcome("rejected");
            assertThat(rejected.getMessage()).matches(Messages::isOneLine, "is one line");
            return;
        }
        BastionAddressProperties.outcome("parsed");
        assertThat(address.host()).isNotEmpty().doesNotStartWith("-")
                .matches(h -> h.chars().allMatch(c -> c > 0x20 && c < 0x7f), "printable ASCII without spaces")
                .doesNotContain("'", "\"", "`", "\\", ";", "$", "@", "[", "]", "/");
        assertThat(address.port()).isBetween(1, 65535);
        assertThat(TargetAddress.parse(address.toString())).isEqualTo(address);
    }

    @Provide
    Arbitrary<String> targets() {
        return Addresses.hostile(Addresses.target());
    }
}
