package org.eventstream.orders.messaging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultInjectionTest {

    @Test
    void offByDefaultEvenForAPoisonMarker() {
        assertThatCode(() -> new FaultInjection(false, "payment=1").check("payment", "poison", "m-1")).doesNotThrowAnyException();
    }

    @Test
    void aPoisonMarkerAlwaysFails() {
        assertThatThrownBy(() -> new FaultInjection(true, "").check("inventory", "poison", "m-1"))
                .isInstanceOf(FaultInjection.InjectedFailure.class).hasMessageContaining("poison");
    }

    @Test
    void aRateOfOneFailsThatBundleOnly() {
        FaultInjection faults = new FaultInjection(true, "payment=1, inventory=0");

        assertThatThrownBy(() -> faults.check("payment", null, "m-1")).isInstanceOf(FaultInjection.InjectedFailure.class);
        assertThatCode(() -> faults.check("inventory", null, "m-1")).doesNotThrowAnyException();
        assertThatCode(() -> faults.check("notification", null, "m-1")).doesNotThrowAnyException();
    }

    @Test
    void aTransientFailureClearsSoTheRetryRecovers() {
        FaultInjection faults = new FaultInjection(true, "payment=1");

        for (int attempt = 1; attempt <= FaultInjection.MAX_TRANSIENT_FAILURES; attempt++) {
            assertThatThrownBy(() -> faults.check("payment", null, "m-7")).isInstanceOf(FaultInjection.InjectedFailure.class);
        }
        assertThatCode(() -> faults.check("payment", null, "m-7")).doesNotThrowAnyException();
        assertThatThrownBy(() -> faults.check("payment", null, "m-8")).isInstanceOf(FaultInjection.InjectedFailure.class);
        assertThat(faults.transientFailures()).isEqualTo(FaultInjection.MAX_TRANSIENT_FAILURES + 1);
    }

    @Test
    void aMalformedRateIsRefusedAtStart() {
        assertThatThrownBy(() -> new FaultInjection(true, "payment=2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FaultInjection(true, "payment")).isInstanceOf(IllegalArgumentException.class);
    }
}
