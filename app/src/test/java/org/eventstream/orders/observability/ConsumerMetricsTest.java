package org.eventstream.orders.observability;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerMetricsTest {

    @Test
    void countsEachOutcomePerQueue() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ConsumerMetrics metrics = new ConsumerMetrics(registry);

        metrics.record("payment.order.created", "consumed");
        metrics.record("payment.order.created", "failed");
        metrics.deadLettered("payment.order.created");
        metrics.deadLettered(null);

        assertThat(registry.get(ConsumerMetrics.MESSAGES).tags("queue", "payment.order.created", "outcome", "consumed").counter().count()).isEqualTo(1);
        assertThat(registry.get(ConsumerMetrics.MESSAGES).tags("queue", "payment.order.created", "outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(registry.get(ConsumerMetrics.MESSAGES).tags("queue", "payment.order.created", "outcome", "dead_lettered").counter().count()).isEqualTo(1);
        assertThat(registry.get(ConsumerMetrics.MESSAGES).tags("queue", "unknown").counter().count()).isEqualTo(1);
    }
}
