package org.eventstream.orders.outbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;

/**
 * The RabbitMQ topology every bundle relies on (ARCHITECTURE.md §6): the durable topic exchange {@code events}, one
 * durable queue {@code <bundle>.<event>} per subscription bound by the event type, and for each its dead-letter
 * queue {@code <queue>.dlq} bound to the direct exchange {@code events.dlx} by the queue's name.
 * <p>
 * Declaring is idempotent: re-declaring with the same arguments is a no-op for the broker. A queue's arguments
 * cannot change in place, so switching {@code rabbitmq.queue-type} needs the queues deleted first (the broker
 * refuses the declaration with PRECONDITION_FAILED otherwise).
 */
public final class EventTopology {

    public static final String EXCHANGE = "events";
    public static final String DEAD_LETTER_EXCHANGE = "events.dlx";

    /** One consumer's subscription: bundle {@code payment} to event {@code order.created}. */
    public record Subscription(String bundle, String event) {

        public String queue() {
            return bundle + "." + event;
        }

        public String deadLetterQueue() {
            return queue() + ".dlq";
        }
    }

    /** Quorum queues replicate and survive a node loss; classic queues are lighter for a single laptop. */
    public enum QueueType {
        QUORUM, CLASSIC;

        static QueueType parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rabbitmq.queue-type must be quorum or classic, not '" + value + "'", e);
            }
        }

        String argument() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final List<Subscription> subscriptions;
    private final QueueType queueType;

    /**
     * @param queues    {@code <bundle>:<event>} entries separated by commas or white space
     * @param queueType {@code quorum} or {@code classic}
     */
    public EventTopology(String queues, String queueType) {
        this.subscriptions = parse(queues);
        this.queueType = QueueType.parse(queueType);
    }

    static List<Subscription> parse(String queues) {
        List<Subscription> parsed = new ArrayList<>();
        for (String entry : (queues == null ? "" : queues).split("[,\\s]+")) {
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon <= 0 || colon == entry.length() - 1 || entry.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("outbox.topology.queues entry '" + entry + "' is not <bundle>:<event>");
            }
            Subscription subscription = new Subscription(entry.substring(0, colon), entry.substring(colon + 1));
            if (parsed.contains(subscription)) {
                throw new IllegalArgumentException("outbox.topology.queues lists '" + entry + "' twice");
            }
            parsed.add(subscription);
        }
        return List.copyOf(parsed);
    }

    public List<Subscription> subscriptions() {
        return subscriptions;
    }

    public QueueType queueType() {
        return queueType;
    }

    Map<String, Object> queueArguments(Subscription subscription) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        arguments.put("x-queue-type", queueType.argument());
        arguments.put("x-dead-letter-exchange", DEAD_LETTER_EXCHANGE);
        arguments.put("x-dead-letter-routing-key", subscription.queue());
        return arguments;
    }

    Map<String, Object> deadLetterQueueArguments() {
        return Map.of("x-queue-type", queueType.argument());
    }

    /** Declares the exchanges, queues and bindings on the channel; the broker leaves what already matches alone. */
    public void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(EXCHANGE, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        for (Subscription subscription : subscriptions) {
            channel.queueDeclare(subscription.deadLetterQueue(), true, false, false, deadLetterQueueArguments());
            channel.queueBind(subscription.deadLetterQueue(), DEAD_LETTER_EXCHANGE, subscription.queue());
            channel.queueDeclare(subscription.queue(), true, false, false, queueArguments(subscription));
            channel.queueBind(subscription.queue(), EXCHANGE, subscription.event());
        }
    }

    @Override
    public String toString() {
        return "exchange " + EXCHANGE + " with " + subscriptions.size() + " " + queueType.argument() + " queues and their dead-letter queues";
    }
}
