package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
    @Test
    void availableWhenNothingIsMissing() {
        assertThat(new Availability(List.of()).isAvailable()).isTrue();
    }

    @Test
    void notAvailableWhenSomethingIsMissing() {
        assertThat(new Availability(List.of(new Prerequisite("autossh", "apt install autossh"))).isAvailable())
                .isFalse();
    }

    @Test
    void keepsItsOwnCopyOfTheList() {
        List<Prerequisite> missing = new ArrayList<>();
        Availability availability = new Availability(missing);
        missing.add(new Prerequisite("ssh", "install it"));

        assertThat(availability.isAvailable()).isTrue();
        assertThatThrownBy(() -> availability.missing().add(new Prerequisite("x", "y")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
