package org.eventstream.orders;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleSelectionTest {

    @Test
    void noArgumentsMeansEveryBundle() {
        BundleSelection all = BundleSelection.parse();

        assertThat(all.bundles()).containsExactlyElementsOf(BundleSelection.ALL);
        assertThat(all.allInOne()).isTrue();
        assertThat(all.migrateOnly()).isFalse();
    }

    @Test
    void namedBundlesOnlyInTheirOrderWithoutRepeats() {
        BundleSelection some = BundleSelection.parse("outbox-dispatcher", "orders-api", "orders-api", "--dev");

        assertThat(some.bundles()).containsExactly("outbox-dispatcher", "orders-api");
        assertThat(some.devMode()).isTrue();
    }

    @Test
    void migrateRunsAlone() {
        assertThat(BundleSelection.parse("migrate").migrateOnly()).isTrue();
        assertThatThrownBy(() -> BundleSelection.parse("migrate", "payment")).hasMessageContaining("alone");
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> BundleSelection.parse("payment", "shiping"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown bundle shiping")
                .hasMessageContaining(String.join(", ", BundleSelection.ALL));
    }

    @Test
    void theBundleVariableChoosesWhenTheCommandLineNamesNone() {
        assertThat(BundleSelection.parse(new String[0], "payment").bundles()).containsExactly("payment");
        assertThat(BundleSelection.parse(new String[] {"--dev"}, "payment, inventory").bundles()).containsExactly("payment", "inventory");
        assertThat(BundleSelection.parse(new String[] {"aggregator"}, "payment").bundles()).containsExactly("aggregator");
        assertThat(BundleSelection.parse(new String[0], " ").bundles()).containsExactlyElementsOf(BundleSelection.ALL);
        assertThatThrownBy(() -> BundleSelection.parse(new String[0], "shiping")).hasMessageContaining("unknown bundle shiping");
    }
}
