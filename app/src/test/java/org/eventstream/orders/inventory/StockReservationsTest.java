package org.eventstream.orders.inventory;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StockReservationsTest {

    private final StockReservations reservations = new StockReservations();
    private final Map<String, Object> payment = Map.of("order_id", "o-1", "customer_id", "c-1", "items", List.of(
            Map.of("product_id", "p-1", "quantity", 2), Map.of("product_id", "p-2", "quantity", 5)));

    @Test
    void reservesWhenEveryLineFits() throws Exception {
        Map<String, Object> decision = reservations.decide(payment, List.of(
                Map.of("id", "p-1", "stock_available", 2), Map.of("id", "p-2", "stock_available", 9)));

        assertThat(decision.get("status")).isEqualTo("RESERVED");
        // the reservation's lines, which its statement takes from stock
        assertThat(new ObjectMapper().readValue((String) decision.get("lines"), List.class)).isEqualTo(payment.get("items"));
        assertThat(((Map<?, ?>) decision.get("event")).get("event_type")).isEqualTo("inventory.reserved");
    }

    @Test
    void rejectsTheWholeOrderWhenOneLineIsShort() {
        Map<String, Object> decision = reservations.decide(payment, List.of(
                Map.of("id", "p-1", "stock_available", 100), Map.of("id", "p-2", "stock_available", 4)));

        assertThat(decision.get("status")).isEqualTo("REJECTED");
        Map<?, ?> event = (Map<?, ?>) decision.get("event");
        assertThat(event.get("event_type")).isEqualTo("inventory.rejected");
        assertThat(event.get("short_product_ids")).isEqualTo(List.of("p-2"));
    }

    @Test
    void aProductMissingFromTheCatalogIsShort() {
        assertThat(reservations.decide(payment, List.of(Map.of("id", "p-1", "stock_available", 100))).get("status"))
                .isEqualTo("REJECTED");
        assertThat(reservations.productIds(payment)).isEqualTo("{\"p-1\",\"p-2\"}");
    }
}
