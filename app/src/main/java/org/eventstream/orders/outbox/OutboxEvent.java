package org.eventstream.orders.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;

/**
 * One row of {@code messaging.outbox}, and the AMQP message it becomes: routing key = event type, persistent,
 * {@code message-id} = event id, JSON body, the row's headers (with {@code traceparent}) plus the CloudEvents
 * attributes of the AMQP binding's {@code ce_} form.
 */
public record OutboxEvent(long id, String eventId, String aggregateType, String aggregateId, String eventType,
                          String payload, Map<String, String> headers, Instant createdAt) {

    public static final String CONTENT_TYPE = "application/json";
    public static final String SOURCE_PREFIX = "/event-stream-orders/";
    static final String APP_ID = "event-stream-orders";
    private static final int PERSISTENT = 2;

    /** The same event with other headers (the relay's own trace context instead of the row's). */
    public OutboxEvent withHeaders(Map<String, String> replaced) {
        return new OutboxEvent(id, eventId, aggregateType, aggregateId, eventType, payload, Map.copyOf(replaced), createdAt);
    }

    public String routingKey() {
        return eventType;
    }

    public byte[] body() {
        return payload.getBytes(StandardCharsets.UTF_8);
    }

    public AMQP.BasicProperties properties() {
        // the row's own headers first, so the CloudEvents attributes below cannot be overridden by them
        Map<String, Object> amqpHeaders = new LinkedHashMap<>(headers);
        amqpHeaders.put("ce_specversion", "1.0");
        amqpHeaders.put("ce_id", eventId);
        amqpHeaders.put("ce_type", eventType);
        amqpHeaders.put("ce_source", SOURCE_PREFIX + aggregateType);
        amqpHeaders.put("ce_subject", aggregateId);
        amqpHeaders.put("ce_time", createdAt.toString());
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .messageId(eventId)
                .type(eventType)
                .appId(APP_ID)
                .timestamp(Date.from(createdAt))
                .headers(amqpHeaders)
                .build();
    }
}
