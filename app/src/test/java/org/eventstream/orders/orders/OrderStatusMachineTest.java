package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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

    /** The row the status statement answers: the order as it was locked, and the status it moved to (or null). */
    private static Map<String, Object> row(String previous, String moved) {
        Map<String, Object> row = new HashMap<>(Map.of("previous", previous, "customer_id", "c-1",
                "total_amount", new BigDecimal("12.50"), "currency", "USD", "created_at", Timestamp.from(Instant.now().minusMillis(250))));
        row.put("status", moved);
        return row;
    }

    /** What the statement does with the change the machine asks for, to an order in {@code current}. */
    private Map<String, Object> apply(String current, Map<String, Object> event) {
        Map<String, Object> change = machine.change(event);
        String allowedFrom = (String) change.get("allowedFrom");
        List<String> from = allowedFrom.equals("{}") ? List.of()
                : List.of(allowedFrom.substring(1, allowedFrom.length() - 1).replace("\"", "").split(","));
        String moved = from.contains(current) ? (String) change.get("target") : null;
        return machine.outcome(event, row(current, moved));
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
        Map<String, Object> result = apply(current, event(type, "ORDER_CONFIRMED"));

        assertThat(result.get("status")).isEqualTo(expected);
        assertThat(result.get("changed")).isEqualTo(!expected.equals(current));
    }

    @Test
    void theChangeNamesTheEventAndTheStatusesItsTargetIsReachedFrom() {
        Map<String, Object> change = machine.change(event("payment.refunded", null));

        assertThat(change).containsEntry("orderId", "o-1").containsEntry("eventId", "e-1")
                .containsEntry("type", "payment.refunded").containsEntry("occurredAt", "2026-11-28T10:00:00Z")
                .containsEntry("target", "CANCELLED").containsEntry("allowedFrom", "{\"PENDING\",\"PAID\"}").containsEntry("terminal", true);
        assertThat(machine.change(event("inventory.reserved", null))).containsEntry("allowedFrom", "{\"PENDING\",\"PAID\"}")
                .containsEntry("terminal", false);
        assertThat(machine.change(event("notification.sent", "ORDER_CONFIRMED")))
                .containsEntry("allowedFrom", "{\"PENDING\",\"PAID\",\"RESERVED\"}").containsEntry("terminal", true);
    }

    @Test
    void onlyTheConfirmationCompletes() {
        Map<String, Object> declined = machine.change(event("notification.sent", "PAYMENT_DECLINED"));

        assertThat(declined.get("target")).isNull();
        assertThat(declined).containsEntry("allowedFrom", "{}").containsEntry("terminal", false);
        assertThat(apply("REJECTED", event("notification.sent", "PAYMENT_DECLINED")).get("status")).isEqualTo("REJECTED");
        assertThat(apply("PAID", event("notification.sent", "PAYMENT_REFUNDED")).get("changed")).isEqualTo(false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTerminalStatusAnnouncesItselfWithTheProcessingTime() {
        Map<String, Object> result = machine.outcome(event("notification.sent", "ORDER_CONFIRMED"), row("RESERVED", "COMPLETED"));

        assertThat(result).containsEntry("status", "COMPLETED").containsEntry("changed", true);
        Map<String, Object> terminal = (Map<String, Object>) result.get("terminal");
        assertThat(terminal.get("event_type")).isEqualTo("order.completed");
        assertThat(terminal.get("customer_id")).isEqualTo("c-1");
        assertThat(terminal.get("total_amount")).isEqualTo(new BigDecimal("12.50"));
        assertThat((Long) terminal.get("processing_ms")).isBetween(200L, 60_000L);
        assertThat(machine.outcome(event("payment.authorized", null), row("PENDING", "PAID")).get("terminal")).isNull();
        // a repeated confirmation finds the order completed already: no second announcement
        Map<String, Object> repeated = machine.outcome(event("notification.sent", "ORDER_CONFIRMED"), row("COMPLETED", null));
        assertThat(repeated).containsEntry("status", "COMPLETED").containsEntry("changed", false);
        assertThat(repeated.get("terminal")).isNull();
    }

    @Test
    void anEventForAnUnknownOrderFails() {
        assertThatThrownBy(() -> machine.outcome(event("payment.authorized", null), null)).hasMessageContaining("no order o-1");
    }
}
