package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderStatusMachineTest {

    private final OrderStatusMachine machine = new OrderStatusMachine();

    private static Map<String, Object> event(String type, String kind) {
        Map<String, Object> event = new HashMap<>();
        event.put("event_type", type);
        event.put("order_id", "o-1");
        event.put("event_id", "e-1");
        event.put("occurred_at", "2026-11-28T10:00:00Z");
        event.put("kind", kind);
        return event;
    }

    private static Map<String, Object> order(String status) {
        return Map.of("status", status, "customer_id", "c-1", "total_amount", new BigDecimal("12.50"), "currency", "USD",
                "created_at", Timestamp.from(Instant.now().minusMillis(250)));
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "PENDING, payment.authorized, PAID",
            "PENDING, payment.declined, REJECTED",
            "PAID, inventory.reserved, RESERVED",
            "PAID, inventory.rejected, PAID",
            "PAID, payment.refunded, CANCELLED",
            "RESERVED, notification.sent, COMPLETED",
            // out of order: a later step implies the earlier ones
            "PENDING, inventory.reserved, RESERVED",
            "PAID, notification.sent, COMPLETED",
            // late or duplicate events never move backwards, nothing leaves a terminal status
            "RESERVED, payment.authorized, RESERVED",
            "COMPLETED, inventory.reserved, COMPLETED",
            "PAID, payment.declined, PAID",
            "RESERVED, payment.refunded, RESERVED",
            "REJECTED, payment.authorized, REJECTED",
            "CANCELLED, notification.sent, CANCELLED",
            "COMPLETED, payment.refunded, COMPLETED"})
    void movesOnlyForward(String current, String type, String expected) {
        Map<String, Object> result = machine.apply(event(type, "ORDER_CONFIRMED"), order(current));

        assertThat(result.get("status")).isEqualTo(expected);
        assertThat(result.get("changed")).isEqualTo(!expected.equals(current));
    }

    @Test
    void onlyTheConfirmationCompletes() {
        assertThat(machine.apply(event("notification.sent", "PAYMENT_DECLINED"), order("REJECTED")).get("status")).isEqualTo("REJECTED");
        assertThat(machine.apply(event("notification.sent", "PAYMENT_REFUNDED"), order("PAID")).get("changed")).isEqualTo(false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTerminalStatusAnnouncesItselfWithTheProcessingTime() {
        Map<String, Object> result = machine.apply(event("notification.sent", "ORDER_CONFIRMED"), order("RESERVED"));

        Map<String, Object> terminal = (Map<String, Object>) result.get("terminal");
        assertThat(terminal.get("event_type")).isEqualTo("order.completed");
        assertThat(terminal.get("total_amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat((Long) terminal.get("processing_ms")).isBetween(200L, 60_000L);
        assertThat(((Map<String, Object>) result.get("timeline")).get("status")).isEqualTo("COMPLETED");
        assertThat(machine.apply(event("payment.authorized", null), order("PENDING")).get("terminal")).isNull();
    }

    @Test
    void anEventForAnUnknownOrderFails() {
        assertThatThrownBy(() -> machine.apply(event("payment.authorized", null), null)).hasMessageContaining("no order o-1");
    }
}
