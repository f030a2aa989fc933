package org.eventstream.orders.admin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import org.apache.camel.Header;
import org.eventstream.orders.http.ProblemException;
import org.eventstream.orders.messaging.DeadLetterRecoverer;
import org.eventstream.orders.outbox.EventTopology;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Operations on the dead-letter queues of the event topology: list them with their depth, peek at messages with
 * their failure reason, replay one or all to the queue they failed in, purge. Replaying publishes a copy straight to
 * the original queue (the default exchange, so no other subscriber sees it again) with the failure headers removed,
 * confirmed by the broker before the dead-lettered message is acked: a replay loses nothing, at worst it duplicates,
 * which the consumers' idempotency absorbs.
 */
public class DeadLetterQueues {

    private static final int MAX_PEEK = 100;
    private final EventTopology topology;
    private final RabbitTemplate template;

    public DeadLetterQueues(EventTopology topology, ConnectionFactory connectionFactory) {
        this.topology = topology;
        this.template = new RabbitTemplate(connectionFactory);
    }

    /** Every dead-letter queue with its depth and the queue it belongs to. */
    public List<Map<String, Object>> list() {
        return template.execute(channel -> {
            List<Map<String, Object>> queues = new ArrayList<>();
            for (EventTopology.Subscription subscription : topology.subscriptions()) {
                Map<String, Object> queue = new LinkedHashMap<>();
                queue.put("name", subscription.deadLetterQueue());
                queue.put("original_queue", subscription.queue());
                queue.put("depth", channel.queueDeclarePassive(subscription.deadLetterQueue()).getMessageCount());
                queues.add(queue);
            }
            return queues;
        });
    }

    /** Up to {@code limit} messages from the head of the queue, left in place. */
    public List<Map<String, Object>> peek(@Header("queue") String queue, @Header("limit") String limit) {
        String name = known(queue);
        int max = limit(limit);
        return template.execute(channel -> {
            List<Map<String, Object>> messages = new ArrayList<>();
            List<Long> tags = new ArrayList<>();
            GetResponse response;
            while (messages.size() < max && (response = channel.basicGet(name, false)) != null) {
                tags.add(response.getEnvelope().getDeliveryTag());
                messages.add(describe(response));
            }
            // all back, in order: nothing is taken by looking
            for (int i = tags.size() - 1; i >= 0; i--) {
                channel.basicNack(tags.get(i), false, true);
            }
            return messages;
        });
    }

    /**
     * Replays the messages of a dead-letter queue to the queue they failed in: the one with {@code message_id}, or
     * all of them.
     *
     * @return {@code replayed} and {@code remaining}
     */
    public Map<String, Object> replay(@Header("queue") String queue, @Header("message_id") String messageId) {
        String name = known(queue);
        return template.invoke(operations -> operations.execute(channel -> {
            channel.confirmSelect();
            int replayed = 0;
            List<Long> skipped = new ArrayList<>();
            long depth = channel.queueDeclarePassive(name).getMessageCount();
            GetResponse response;
            for (long i = 0; i < depth && (response = channel.basicGet(name, false)) != null; i++) {
                AMQP.BasicProperties properties = response.getProps();
                if (messageId != null && !messageId.equals(properties.getMessageId())) {
                    skipped.add(response.getEnvelope().getDeliveryTag());
                    continue;
                }
                channel.basicPublish("", originalQueue(name, properties), true, withoutFailure(properties), response.getBody());
                channel.waitForConfirmsOrDie(10_000);
                channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                replayed++;
            }
            for (int i = skipped.size() - 1; i >= 0; i--) {
                channel.basicNack(skipped.get(i), false, true);
            }
            if (messageId != null && replayed == 0) {
                throw ProblemException.notFound("message in " + name, messageId);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("queue", name);
            result.put("replayed", replayed);
            result.put("remaining", channel.queueDeclarePassive(name).getMessageCount());
            return result;
        }));
    }

    /** Drops every message of a dead-letter queue. */
    public Map<String, Object> purge(@Header("queue") String queue) {
        String name = known(queue);
        return template.execute(channel -> Map.of("queue", name, "purged", channel.queuePurge(name).getMessageCount()));
    }

    private static int limit(String limit) {
        if (limit == null) {
            return 10;
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_PEEK) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.invalid("limit", "must be an integer between 1 and " + MAX_PEEK);
    }

    private String known(String queue) {
        return topology.subscriptions().stream()
                .map(EventTopology.Subscription::deadLetterQueue)
                .filter(name -> name.equals(queue))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("dead-letter queue", String.valueOf(queue)));
    }

    private static String originalQueue(String deadLetterQueue, AMQP.BasicProperties properties) {
        Object original = properties.getHeaders() == null ? null : properties.getHeaders().get(DeadLetterRecoverer.ORIGINAL_QUEUE);
        return original != null ? original.toString() : deadLetterQueue.substring(0, deadLetterQueue.length() - ".dlq".length());
    }

    private static AMQP.BasicProperties withoutFailure(AMQP.BasicProperties properties) {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (properties.getHeaders() != null) {
            properties.getHeaders().forEach((key, value) -> {
                if (!key.startsWith("x-exception") && !key.startsWith("x-original") && !key.equals(DeadLetterRecoverer.FAILED_AT)
                        && !key.equals("x-death")) {
                    headers.put(key, value);
                }
            });
        }
        headers.put("x-replayed", Boolean.TRUE);
        return properties.builder().headers(headers).deliveryMode(2).build();
    }

    private static Map<String, Object> describe(GetResponse response) {
        AMQP.BasicProperties properties = response.getProps();
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("message_id", properties.getMessageId());
        message.put("original_queue", String.valueOf(headers.get(DeadLetterRecoverer.ORIGINAL_QUEUE)));
        message.put("original_routing_key", String.valueOf(headers.get("x-original-routingKey")));
        message.put("exception_class", String.valueOf(headers.get(DeadLetterRecoverer.EXCEPTION_CLASS)));
        message.put("exception_message", String.valueOf(headers.get("x-exception-message")));
        message.put("failed_at", String.valueOf(headers.get(DeadLetterRecoverer.FAILED_AT)));
        message.put("body", new String(response.getBody(), StandardCharsets.UTF_8));
        return message;
    }
}
