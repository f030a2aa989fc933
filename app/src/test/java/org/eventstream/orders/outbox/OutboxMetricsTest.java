package org.eventstream.orders.outbox;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void recordsEachBatchAsSizeConfirmLatencyAndPublishedCount() {
        OutboxMetrics metrics = new OutboxMetrics(registry);

        metrics.batch(500, Duration.ofMillis(12));
        metrics.batch(20, Duration.ofMillis(3));
        metrics.failure();

        assertThat(registry.get("outbox.published").counter().count()).isEqualTo(520);
        assertThat(registry.get("outbox.batch.size").summary().count()).isEqualTo(2);
        assertThat(registry.get("outbox.batch.size").summary().max()).isEqualTo(500);
        assertThat(registry.get("outbox.confirm.latency").timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(15);
        assertThat(registry.get("outbox.relay.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void theBacklogGaugesShowTheLastMeasurement() {
        OutboxMetrics metrics = new OutboxMetrics(registry);

        metrics.backlog(Map.of("backlog", 1234L, "oldest_age_seconds", new java.math.BigDecimal("2.5")));

        assertThat(registry.get("outbox.backlog").gauge().value()).isEqualTo(1234);
        assertThat(registry.get("outbox.oldest.age").gauge().value()).isEqualTo(2.5);
    }

    /** Camel's YAML loader builds the bean twice; the gauges registered by the first must show the second's values. */
    @Test
    void aSecondInstanceOnTheSameRegistryFeedsTheSameGauges() {
        new OutboxMetrics(registry);
        OutboxMetrics second = new OutboxMetrics(registry);

        second.backlog(Map.of("backlog", 7, "oldest_age_seconds", 0.25));

        assertThat(registry.get("outbox.backlog").gauge().value()).isEqualTo(7);
        assertThat(registry.get("outbox.oldest.age").gauge().value()).isEqualTo(0.25);
    }
}
