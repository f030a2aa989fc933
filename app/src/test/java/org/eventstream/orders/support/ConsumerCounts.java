package org.eventstream.orders.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.eventstream.orders.observability.ConsumerMetrics;

/** A reliable consumer's counts in a running bundle's meter registry (observability/ConsumerMetrics); 0 before the first. */
public final class ConsumerCounts {

    private ConsumerCounts() {
    }

    /** Messages of the queue that ended so far with the outcome ({@code consumed}, {@code failed}, {@code dead_lettered}). */
    public static double messages(MeterRegistry meters, String queue, String outcome) {
        Counter counter = meters.find(ConsumerMetrics.MESSAGES).tags("queue", queue, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Batches the queue's consumers took so far. */
    public static long batches(MeterRegistry meters, String queue) {
        DistributionSummary batches = meters.find(ConsumerMetrics.BATCH_SIZE).tags("queue", queue).summary();
        return batches == null ? 0 : batches.count();
    }
}
