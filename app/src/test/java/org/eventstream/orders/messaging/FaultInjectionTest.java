package org.eventstream.orders.messaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectionTest {

    @Test
    void offByDefaultEvenForAPoisonMarker() {
        assertThatCode(() -> new FaultInjection(false, "payment=1").check("payment", "poison")).doesNotThrowAnyException();
    }

    @Test
    void aPoisonMarkerAlwaysFails() {
        assertThatThrownBy(() -> new FaultInjection(true, "").check("inventory", "poison"))
                .isInstanceOf(FaultInjection.InjectedFailure.class).hasMessageContaining("poison");
    }

    @Test
    void aRateOfOneFailsEveryDeliveryOfThatBundleOnly() {
        FaultInjection faults = new FaultInjection(true, "payment=1, inventory=0");

        assertThatThrownBy(() -> faults.check("payment", null)).isInstanceOf(FaultInjection.InjectedFailure.class);
        assertThatCode(() -> faults.check("inventory", null)).doesNotThrowAnyException();
        assertThatCode(() -> faults.check("notification", null)).doesNotThrowAnyException();
    }

    @Test
    void aMalformedRateIsRefusedAtStart() {
        assertThatThrownBy(() -> new FaultInjection(true, "payment=2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultInjection(true, "payment")).isInstanceOf(IllegalArgumentException.class);
    }
}
