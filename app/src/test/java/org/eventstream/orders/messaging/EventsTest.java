package org.eventstream.orders.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventsTest {

    private final Events events = new Events();
    private final ObjectMapper mapper = new ObjectMapper();

    private Map<String, Object> payload() {
        Map<String, Object> payload = new HashMap<>();
        payload.put("event_type", "payment.authorized");
        payload.put("order_id", "5b0c0a5e-0000-4000-8000-000000000001");
        payload.put("amount", 12.5);
        return payload;
    }

    @Test
    void theSameDeliveryAlwaysYieldsTheSameEventId() {
        Map<String, Object> first = events.emit(payload(), "payment", "cause-1", null);
        Map<String, Object> again = events.emit(payload(), "payment", "cause-1", null);
        Map<String, Object> other = events.emit(payload(), "payment", "cause-2", null);

        assertThat(first.get("eventId")).isEqualTo(again.get("eventId")).isNotEqualTo(other.get("eventId"));
        assertThat(first.get("aggregateId")).isEqualTo("5b0c0a5e-0000-4000-8000-000000000001");
        assertThat(first.get("eventType")).isEqualTo("payment.authorized");
    }

    @Test
    void thePayloadSaysWhatCausedItAndTheHeadersContinueTheTrace() throws Exception {
        Map<String, Object> params = events.emit(payload(), "payment", "cause-1",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        JsonNode body = mapper.readTree((String) params.get("payload"));
        assertThat(body.get("event_id").asText()).isEqualTo(params.get("eventId"));
        assertThat(body.get("causation_id").asText()).isEqualTo("cause-1");
        assertThat(body.get("amount").asDouble()).isEqualTo(12.5);
        assertThat(body.get("occurred_at").asText()).isNotBlank();
        assertThat(mapper.readTree((String) params.get("headers")).get("traceparent").asText())
                .startsWith("00-0af7651916cd43dd8448eb211c80319c-");
    }

    @Test
    void aRecordAndItsEventMakeOneSetOfParameters() {
        Map<String, Object> event = events.emit(payload(), "payment", "cause-1", null);
        Map<String, Object> params = events.recordWithEvent(Map.of("order_id", "o-1", "status", "AUTHORIZED"), payload(),
                "payment", "cause-1", null);

        assertThat(params).containsEntry("order_id", "o-1").containsEntry("status", "AUTHORIZED")
                .containsEntry("eventId", event.get("eventId")).containsEntry("eventType", "payment.authorized")
                .containsKeys("aggregateType", "aggregateId", "payload", "headers");
        assertThatThrownBy(() -> events.recordWithEvent(Map.of("payload", "{}"), payload(), "payment", "cause-1", null))
                .hasMessageContaining("payload");
    }

    @Test
    void anEventOfADecidedTypeHasAnIdForEachTypeAndLeavesTheTypeToTheStatement() throws Exception {
        Map<String, Object> payload = payload();
        payload.remove("event_type");
        Map<String, Object> params = events.emitOneOf(payload, List.of("payment.authorized", "payment.declined"),
                "payment", "cause-1", null);

        JsonNode eventIds = mapper.readTree((String) params.get("eventIds"));
        assertThat(eventIds.get("payment.authorized").asText())
                .isEqualTo(events.emit(payload(), "payment", "cause-1", null).get("eventId"))
                .isNotEqualTo(eventIds.get("payment.declined").asText());
        JsonNode body = mapper.readTree((String) params.get("payload"));
        assertThat(body.has("event_id")).isFalse();
        assertThat(body.has("event_type")).isFalse();
        assertThat(body.get("causation_id").asText()).isEqualTo("cause-1");
        assertThat(params).containsEntry("aggregateId", "5b0c0a5e-0000-4000-8000-000000000001")
                .containsKeys("aggregateType", "headers").doesNotContainKeys("eventId", "eventType");
    }

    @Test
    void aPayloadWithoutOrderIsRefused() {
        assertThatThrownBy(() -> events.emit(Map.of("event_type", "x"), "payment", "c", null)).hasMessageContaining("order_id");
    }
}
