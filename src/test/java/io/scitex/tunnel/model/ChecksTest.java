package io.scitex.tunnel.model;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksTest {
    @Test
    void checkThrowsFormattedMessage() {
        assertThatThrownBy(() -> Checks.check(false, "%s is %d", "x", 3)).isInstanceOf(InvalidInputException.class)
                .hasMessage("x is 3");
    }

    @Test
    void checkPassesWhenConditionHolds() {
        assertThatCode(() -> Checks.check(true, "never %s", "thrown")).doesNotThrowAnyException();
    }

    @Test
    void parsePortNamesWhatIsWrong() {
        assertThatThrownBy(() -> Checks.parsePort("x", "bastion SSH port")).isInstanceOf(InvalidInputException.class)
                .hasMessage("bastion SSH port must be a number from 1 to 65535, not 'x'");
        assertThatThrownBy(() -> Checks.parsePort("0", "port")).isInstanceOf(InvalidInputException.class)
                .hasMessage("port must be from 1 to 65535, not 0");
    }
}
