package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.testing.Addresses;
import io.scitex.tunnel.testing.Messages;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

// Generated cases per run: 5000 (3 properties: 3000 + 1000 + 1000 tries).
class BastionAddressProperties {
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    @Property(tries = 3000)
    void parsesToASafeAddressOrRejectsInOneLine(@ForAll("bastions") String text) {
        BastionAddress address;
        try {
            address = BastionAddress.parse(text);
        } catch (InvalidInputException rejected) {
            outcome("rejected");
            assertThat(rejected.getMessage()).matches(Messages::isOneLine, "is one line");
            return;
        }
        outcome("parsed");
        assertThat(address.host()).isNotEmpty().doesNotStartWith("-")
                .matches(h -> h.chars().allMatch(c -> c > 0x20 && c < 0x7f), "printable ASCII without spaces")
                .doesNotContain("'", "\"", "`", "\\", ";", "$", "@", "[", "]", "/");
        address.user().ifPresent(user -> assertThat(user).matches("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?"));
        assertThat(address.port()).isBetween(1, 65535);
        assertThat(BastionAddress.parse(address.toString())).isEqualTo(address);
        assertThat(address.knownHostsName()).isEqualTo(
                address.port() == 22 ? address.host() : "[" + address.host() + "]:" + address.port());
    }

    static void outcome(String outcome) {
        Statistics.label("outcome").collect(outcome);
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("parsed").percentage(p -> p >= 20);
            coverage.check("rejected").percentage(p -> p >= 20);
        });
    }

    @Property(tries = 1000)
    void anyParsedAddressRoundTripsThroughToString(@ForAll("validBastions") String text) {
        BastionAddress address = BastionAddress.parse(text);

        assertThat(BastionAddress.parse(address.toString())).isEqualTo(address);
        assertThat(BastionAddress.parse(address.toString())).hasToString(address.toString());
    }

    @Property(tries = 1000)
    void rejectsAnyHostileTextThatStartsWithDash(@ForAll("bastions") String text) {
        assertThatThrownBy(() -> BastionAddress.parse("-" + text)).isInstanceOf(InvalidInputException.class);
    }

    @Provide
    Arbitrary<String> bastions() {
        return Addresses.hostile(Addresses.bastion());
    }

    @Provide
    Arbitrary<String> validBastions() {
        return Addresses.bastion().filter(text -> {
            try {
                BastionAddress.parse(text);
                return true;
            } catch (InvalidInputException e) {
                return false;
            }
        });
    }
}
