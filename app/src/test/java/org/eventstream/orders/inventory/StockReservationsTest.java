package org.eventstream.orders.inventory;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eventstream.orders.messaging.Events;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statement's parameters; what it decides is tested through PostgreSQL (BatchedReservationsIT, SagaIT). */
class StockReservationsTest {

    private final StockReservations reservations = new StockReservations();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Object> payment = Map.of("event_id", "e-1", "event_type", "payment.authorized",
            "order_id", "o-1", "customer_id", "c-1", "amount", 12.5, "items", List.of(
                    Map.of("product_id", "p-1", "quantity", 2), Map.of("product_id", "p-2", "quantity", 5)));

    @Test
    void theOutcomeCarriesTheOrderAndItsLinesAndEitherEventsId() throws Exception {
        Map<String, Object> params = reservations.reservation(payment, "inventory", "cause-1", null);

        assertThat(params).containsEntry("aggregateId", "o-1").containsEntry("aggregateType", "order");
        JsonNode outcome = mapper.readTree((String) params.get("payload"));
        assertThat(mapper.convertValue(outcome.get("items"), List.class)).isEqualTo(payment.get("items"));
        assertThat(outcome.get("customer_id").asText()).isEqualTo("c-1");
        assertThat(outcome.get("causation_id").asText()).isEqualTo("cause-1");
        // the statement adds the type and id it decides on; nothing of the payment event's own is carried over
        assertThat(outcome.has("event_type")).isFalse();
        assertThat(outcome.has("event_id")).isFalse();
        assertThat(outcome.has("amount")).isFalse();

        JsonNode eventIds = mapper.readTree((String) params.get("eventIds"));
        Events events = new Events();
        for (String type : List.of(StockReservations.RESERVED, StockReservations.REJECTED)) {
            assertThat(eventIds.get(type).asText()).isEqualTo(events.emit(Map.of("event_type", type, "order_id", "o-1"),
                    "inventory", "cause-1", null).get("eventId"));
        }
    }

    @Test
    void aPaymentWithoutItemsIsRefused() {
        assertThatThrownBy(() -> reservations.reservation(Map.of("order_id", "o-1", "items", List.of()), "inventory", "c", null))
                .hasMessageContaining("o-1").hasMessageContaining("no items");
    }
}
