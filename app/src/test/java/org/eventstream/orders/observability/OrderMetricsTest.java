package org.eventstream.orders.observability;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

class OrderMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OrderMetrics metrics = new OrderMetrics(registry);

    private static Map<String, Object> transition(String status, Map<String, Object> terminal) {
        Map<String, Object> transition = new HashMap<>();
        transition.put("status", status);
        transition.put("terminal", terminal);
        return transition;
    }

    @Test
    void ordersByStatusRevenueAndEndToEndTime() {
        metrics.created();
        metrics.transitioned(transition("PAID", null));
        metrics.transitioned(transition("COMPLETED", Map.of("status", "COMPLETED", "total_amount", new BigDecimal("25.00"),
                "currency", "USD", "processing_ms", 850L)));
        metrics.transitioned(transition("REJECTED", Map.of("status", "REJECTED", "total_amount", new BigDecimal("9.00"),
                "currency", "USD", "processing_ms", 120L)));

        assertThat(registry.get(OrderMetrics.ORDERS).tag("status", "PENDING").counter().count()).isEqualTo(1);
        assertThat(registry.get(OrderMetrics.ORDERS).tag("status", "COMPLETED").counter().count()).isEqualTo(1);
        assertThat(registry.get(OrderMetrics.REVENUE).tag("currency", "USD").counter().count()).isEqualTo(25.0);
        var completed = registry.get(OrderMetrics.PROCESSING_TIME).tag("status", "COMPLETED").timer();
        assertThat(completed.count()).isEqualTo(1);
        assertThat(completed.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(850.0);
    }

    @Test
    void insideATransactionNothingCountsUntilItCommits() {
        TransactionSynchronizationManager.initSynchronization();
        try {
            metrics.transitioned(transition("PAID", null));
            assertThat(registry.find(OrderMetrics.ORDERS).counter()).isNull();

            TransactionSynchronizationManager.getSynchronizations().forEach(TransactionSynchronization::afterCommit);
            assertThat(registry.get(OrderMetrics.ORDERS).tag("status", "PAID").counter().count()).isEqualTo(1);
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }
}
