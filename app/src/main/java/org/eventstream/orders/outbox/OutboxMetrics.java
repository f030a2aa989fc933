package org.eventstream.orders.outbox;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The relay's meters. Prometheus names: {@code outbox_backlog}, {@code outbox_oldest_age_seconds},
 * {@code outbox_batch_size}, {@code outbox_published_total}, {@code outbox_confirm_latency_seconds},
 * {@code outbox_relay_failures_total}.
 */
public final class OutboxMetrics {

    /**
     * The gauges' values, one pair per registry: Camel's YAML loader constructs beans twice (a pre-parse, then the
     * real load) and a registry keeps the first gauge registered under a name, so the values must outlive this object.
     */
    private static final Map<MeterRegistry, AtomicLong[]> GAUGE_VALUES = Collections.synchronizedMap(new WeakHashMap<>());

    private final AtomicLong backlog;
    private final AtomicLong oldestAgeMillis;
    private final DistributionSummary batchSize;
    private final Counter published;
    private final Timer confirmLatency;
    private final Counter failures;

    public OutboxMetrics(MeterRegistry registry) {
        AtomicLong[] values = GAUGE_VALUES.computeIfAbsent(registry, r -> new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        backlog = values[0];
        oldestAgeMillis = values[1];
        // the second construction finds them registered: registering again would only log Micrometer's warning
        if (registry.find("outbox.backlog").gauge() == null) {
            Gauge.builder("outbox.backlog", backlog, AtomicLong::get)
                    .description("rows of messaging.outbox not yet published").register(registry);
            Gauge.builder("outbox.oldest.age", oldestAgeMillis, millis -> millis.get() / 1000.0)
                    .description("age of the oldest unpublished row").baseUnit("seconds").register(registry);
        }
        batchSize = DistributionSummary.builder("outbox.batch.size")
                .description("rows claimed and published per batch").register(registry);
        published = Counter.builder("outbox.published")
                .description("rows published with a broker confirm (the publish rate is its rate)").register(registry);
        confirmLatency = Timer.builder("outbox.confirm.latency")
                .description("from the last publish of a batch to the broker's confirm of all of it").register(registry);
        failures = Counter.builder("outbox.relay.failures")
                .description("batches rolled back: broker, database, nack, confirm timeout or unroutable event").register(registry);
    }

    /** From the periodic backlog query: {@code backlog} rows, the oldest created {@code oldestAgeSeconds} ago. */
    public void backlog(Map<String, Object> row) {
        backlog.set(((Number) row.get("backlog")).longValue());
        oldestAgeMillis.set(Math.round(((Number) row.get("oldest_age_seconds")).doubleValue() * 1000));
    }

    void batch(int rows, Duration confirmWait) {
        batchSize.record(rows);
        confirmLatency.record(confirmWait);
        published.increment(rows);
    }

    void failure() {
        failures.increment();
    }
}
