package org.eventstream.orders.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;

/**
 * What became of the deliveries of every consumer queue (routes/shared/reliable-consumer.camel.yaml), as the
 * Prometheus counter {@code consumer_messages_total} with labels {@code queue} and {@code outcome}:
 * <ul>
 *   <li>{@code consumed}: the effect committed and the message was acked;</li>
 *   <li>{@code duplicate}: already processed (the idempotent consumer skipped it), acked;</li>
 *   <li>{@code failed}: one delivery attempt failed and rolled back; the retry takes it again;</li>
 *   <li>{@code dead_lettered}: retries exhausted, parked in the queue's {@code .dlq} (reported by the recoverer).</li>
 * </ul>
 */
public class ConsumerMetrics extends CompletedExchangeNotifier<SpringRabbitMQEndpoint> {

    public static final String MESSAGES = "consumer.messages";

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
        } else if (exchange.getProperty(ExchangePropertyKey.DUPLICATE_MESSAGE, false, Boolean.class)) {
            record(queue, "duplicate");
        } else {
            record(queue, "consumed");
        }
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
