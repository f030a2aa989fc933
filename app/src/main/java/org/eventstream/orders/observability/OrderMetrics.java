package org.eventstream.orders.observability;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Variable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The business meters of orders-api, recorded once the transaction that changed the order has committed (a rolled
 * back delivery counts nothing; its retry counts once). Prometheus names:
 * <ul>
 *   <li>{@code orders_total} (label status): orders entering a status, PENDING when placed;</li>
 *   <li>{@code orders_revenue_total} (label currency): the amount of completed orders;</li>
 *   <li>{@code orders_processing_time_seconds} (histogram; label status): end to end, from placing the order to its
 *       terminal status (COMPLETED, REJECTED, CANCELLED), with a bucket at the 2 s target.</li>
 * </ul>
 */
public class OrderMetrics {

    public static final String ORDERS = "orders";
    public static final String REVENUE = "orders.revenue";
    public static final String PROCESSING_TIME = "orders.processing.time";
    static final Duration END_TO_END_TARGET = Duration.ofSeconds(2);

    private final MeterRegistry registry;

    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A new order stored PENDING (called after its transaction). */
    public void created() {
        afterCommit(() -> status("PENDING"));
    }

    /**
     * An order moved by an outcome event, from {@code OrderStatusMachine.apply}: {@code status}, and {@code terminal}
     * (the terminal event's payload: status, total_amount, currency, processing_ms) when it ended.
     */
    public void transitioned(@Variable("transition") Map<String, Object> transition) {
        String status = String.valueOf(transition.get("status"));
        Object terminal = transition.get("terminal");
        afterCommit(() -> {
            status(status);
            if (terminal instanceof Map<?, ?> ended) {
                terminated(status, ended);
            }
        });
    }

    private void status(String status) {
        Counter.builder(ORDERS).description("orders entering a status").tag("status", status).register(registry).increment();
    }

    private void terminated(String status, Map<?, ?> ended) {
        Timer.builder(PROCESSING_TIME)
                .description("from placing an order to its terminal status")
                .tag("status", status)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .serviceLevelObjectives(END_TO_END_TARGET)
                .register(registry)
                .record(Duration.ofMillis(((Number) ended.get("processing_ms")).longValue()));
        if ("COMPLETED".equals(status) && ended.get("total_amount") instanceof Number amount) {
            Counter.builder(REVENUE)
                    .description("amount of the completed orders")
                    .tag("currency", String.valueOf(ended.get("currency")))
                    .register(registry)
                    .increment(amount.doubleValue());
        }
    }

    /** Runs when the current Spring-managed transaction commits, or at once outside one. */
    static void afterCommit(Runnable record) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    record.run();
                }
            });
        } else {
            record.run();
        }
    }
}
