package org.eventstream.orders.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What became of the deliveries of every consumer queue (routes/shared/reliable-consumer.camel.yaml), as the
 * Prometheus counter {@code consumer_messages_total} with labels {@code queue} and {@code outcome}:
 * <ul>
 *   <li>{@code consumed}: the effect committed and the message was acked;</li>
 *   <li>{@code duplicate}: already processed (the idempotent consumer skipped it), acked;</li>
 *   <li>{@code failed}: one delivery attempt failed and rolled back; the retry takes it again;</li>
 *   <li>{@code dead_lettered}: retries exhausted, parked in the queue's {@code .dlq} (reported by the recoverer).</li>
 * </ul>
 * A delivery that ends inside a transaction still open (a batch of {@code messaging.BatchedDeliveries}) counts as
 * consumed or duplicate when that transaction commits; if it rolls back, the delivery is made again and counted then.
 * And {@code consumer_batch_size} (labels {@code queue}): how many messages each batch held.
 */
public class ConsumerMetrics extends CompletedExchangeNotifier<SpringRabbitMQEndpoint> {

    public static final String MESSAGES = "consumer.messages";
    public static final String BATCH_SIZE = "consumer.batch.size";

    private final MeterRegistry registry;

    public ConsumerMetrics(MeterRegistry registry) {
        super(SpringRabbitMQEndpoint.class);
        this.registry = registry;
    }

    @Override
    protected void ended(Exchange exchange, SpringRabbitMQEndpoint endpoint, boolean failed) {
        String queue = endpoint.getQueues();
        if (failed) {
            record(queue, "failed");
            return;
        }
        String outcome = exchange.getProperty(ExchangePropertyKey.DUPLICATE_MESSAGE, false, Boolean.class) ? "duplicate" : "consumed";
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        record(queue, outcome);
                    }
                }
            });
        } else {
            record(queue, outcome);
        }
    }

    /** A batch of {@code size} messages taken from {@code queue}. */
    public void batch(String queue, int size) {
        DistributionSummary.builder(BATCH_SIZE)
                .description("messages per batch of a consumer queue, delivered in one transaction")
                .tags("queue", queue)
                .register(registry)
                .record(size);
    }

    /** A message of {@code queue} parked in its dead-letter queue. */
    public void deadLettered(String queue) {
        record(queue == null ? "unknown" : queue, "dead_lettered");
    }

    void record(String queue, String outcome) {
        Counter.builder(MESSAGES)
                .description("deliveries of a consumer queue by outcome")
                .tags("queue", queue, "outcome", outcome)
                .register(registry)
                .increment();
    }
}
