package org.eventstream.orders.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxEventTest {

    private static final String EVENT_ID = "6e4941ae-0595-4ac8-bc5f-56b683d52c3d";
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final Instant CREATED = Instant.parse("2026-11-28T09:30:00.123456Z");

    private static OutboxEvent event(Map<String, String> headers) {
        return new OutboxEvent(42, EVENT_ID, "order", "0b9c3c9e-8f4f-4f59-9b7c-3f0b9d6f1a10", "order.created",
                "{\"order_id\":\"0b9c\",\"total_amount\":\"36.97\"}", headers, CREATED);
    }

    @Test
    void isAPersistentJsonMessageIdentifiedByTheEventIdAndRoutedByItsType() {
        OutboxEvent event = event(Map.of("traceparent", TRACEPARENT));
        AMQP.BasicProperties properties = event.properties();

        assertThat(event.routingKey()).isEqualTo("order.created");
        assertThat(new String(event.body(), StandardCharsets.UTF_8)).isEqualTo("{\"order_id\":\"0b9c\",\"total_amount\":\"36.97\"}");
        assertThat(properties.getDeliveryMode()).isEqualTo(2);
        assertThat(properties.getContentType()).isEqualTo("application/json");
        assertThat(properties.getMessageId()).isEqualTo(EVENT_ID);
        assertThat(properties.getType()).isEqualTo("order.created");
        assertThat(properties.getAppId()).isEqualTo("event-stream-orders");
        assertThat(properties.getTimestamp()).isEqualTo(Date.from(CREATED));
    }

    @Test
    void carriesTheTraceparentAndTheCloudEventsAttributes() {
        Map<String, Object> headers = event(Map.of("traceparent", TRACEPARENT)).properties().getHeaders();

        assertThat(headers).containsEntry("traceparent", TRACEPARENT)
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("ce_id", EVENT_ID)
                .containsEntry("ce_type", "order.created")
                .containsEntry("ce_source", "/event-stream-orders/order")
                .containsEntry("ce_subject", "0b9c3c9e-8f4f-4f59-9b7c-3f0b9d6f1a10")
                .containsEntry("ce_time", "2026-11-28T09:30:00.123456Z");
    }

    @Test
    void theRowsHeadersCannotOverrideTheCloudEventsAttributes() {
        Map<String, String> rowHeaders = new LinkedHashMap<>();
        rowHeaders.put("ce_id", "forged");
        rowHeaders.put("tracestate", "vendor=1");
        Map<String, Object> headers = event(rowHeaders).properties().getHeaders();

        assertThat(headers).containsEntry("ce_id", EVENT_ID).containsEntry("tracestate", "vendor=1").doesNotContainKey("traceparent");
    }
}
