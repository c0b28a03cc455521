package io.scitex.tunnel.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.BastionAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandshakeSlotsTest {
    private static final BastionAddress BASTION = BastionAddress.parse("bastion.example.com:2200");
    private static final Duration NO_WAIT = Duration.ZERO;

    @Test
    void atMostSoManyHandshakesAreInFlightToOneBastion() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(2);
        HandshakeSlots.Slot first = slots.slotFor(BASTION);
        HandshakeSlots.Slot second = slots.slotFor(BastionAddress.parse("user@BASTION.example.com:2200"));
        HandshakeSlots.Slot third = slots.slotFor(BASTION);

        assertThat(first.acquire(NO_WAIT)).isTrue();
        assertThat(second.acquire(NO_WAIT)).isTrue();
        assertThat(third.acquire(NO_WAIT)).as("a third, while two are in flight").isFalse();
        first.release();
        assertThat(third.acquire(NO_WAIT)).as("once one is done").isTrue();
    }

    @Test
    void otherBastionsHaveTheirOwnHandshakes() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(1);
        assertThat(slots.slotFor(BASTION).acquire(NO_WAIT)).isTrue();

        assertThat(slots.slotFor(BastionAddress.parse("bastion.example.com:22")).acquire(NO_WAIT)).isTrue();
        assertThat(slots.slotFor(BastionAddress.parse("other.example.com:2200")).acquire(NO_WAIT)).isTrue();
    }

    @Test
    void aClosedSlotLetsGoAndCannotTakeAHandshakeAgain() throws Exception {
        HandshakeSlots slots = new HandshakeSlots(1);
        HandshakeSlots.Slot abandoned = slots.slotFor(BASTION);
        assertThat(abandoned.acquire(NO_WAIT)).isTrue();

        abandoned.close();

        assertThat(abandoned.acquire(NO_WAIT)).isFalse();
        HandshakeSlots.Slot next = slots.slotFor(BASTION);
        assertThat(next.acquire(NO_WAIT)).isTrue();
        next.release();
        next.release(); // twice is once
        assertThat(slots.slotFor(BASTION).acquire(NO_WAIT)).isTrue();
        assertThat(slots.slotFor(BASTION).acquire(NO_WAIT)).isFalse();
    }

    @Test
    void aBastionThatLetAHandshakeRunOutOfTimeIsRememberedForItsOtherProbes() {
        HandshakeSlots slots = new HandshakeSlots(3);
        HandshakeSlots.Slot timedOut = slots.slotFor(BASTION);

        timedOut.bastionUnanswering();

        assertThat(slots.slotFor(BASTION).isBastionUnanswering()).isTrue();
        assertThat(slots.slotFor(BastionAddress.parse("other.example.com:2200")).isBastionUnanswering()).isFalse();
    }

    @Test
    void atLeastOneHandshakePerBastion() {
        assertThatThrownBy(() -> new HandshakeSlots(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
