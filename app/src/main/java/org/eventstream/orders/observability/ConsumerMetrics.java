package org.eventstream.orders.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

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
public class ConsumerMetrics extends EventNotifierSupport {

    public static final String MESSAGES = "consumer.messages";

    private final MeterRegistry registry;

    public ConsumerMetrics(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return (event instanceof CamelEvent.ExchangeCompletedEvent || event instanceof CamelEvent.ExchangeFailedEvent)
                && ((CamelEvent.ExchangeEvent) event).getExchange().getFromEndpoint() instanceof SpringRabbitMQEndpoint;
    }

    @Override
    public void notify(CamelEvent event) {
        Exchange exchange = ((CamelEvent.ExchangeEvent) event).getExchange();
        String queue = ((SpringRabbitMQEndpoint) exchange.getFromEndpoint()).getQueues();
        if (event instanceof CamelEvent.ExchangeFailedEvent) {
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
