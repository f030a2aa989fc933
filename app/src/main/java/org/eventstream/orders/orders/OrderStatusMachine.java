package org.eventstream.orders.orders;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.eventstream.orders.sql.ArrayLiteral;

/**
 * The order's forward-only state machine: {@code PENDING → PAID → RESERVED → COMPLETED}, {@code PENDING → REJECTED}
 * (payment declined), {@code PAID → CANCELLED} (stock rejected, payment refunded).
 * <p>
 * Each outcome event names a target status; the order moves there only if that is forward from where it is.
 * Events of one order travel on different queues and may arrive in any order: a late {@code payment.authorized}
 * after {@code inventory.reserved} (which implies it) changes nothing, and nothing leaves a terminal status.
 * <p>
 * The rule is decided here ({@link #allows}) and applied by PostgreSQL under the order's row lock, as the statuses
 * each target may be reached from ({@link #change}): one statement for the events of a consumer batch (as a
 * {@code BatchStatement}'s parameters, {@link #apply}), and the check cannot race the update.
 */
public class OrderStatusMachine implements Function<Map<String, Object>, Map<String, Object>> {

    private static final List<String> PROGRESS = List.of("PENDING", "PAID", "RESERVED", "COMPLETED");
    private static final List<String> STATUSES = List.of("PENDING", "PAID", "RESERVED", "COMPLETED", "REJECTED", "CANCELLED");
    private static final Map<String, String> TERMINAL_EVENTS = Map.of(
            "COMPLETED", "order.completed", "REJECTED", "order.rejected", "CANCELLED", "order.cancelled");
    private static final Map<String, String> ALLOWED_FROM = STATUSES.stream()
            .collect(Collectors.toUnmodifiableMap(status -> status, OrderStatusMachine::allowedFrom));

    /** The status an event asks for, or {@code null} when it only goes on the timeline. */
    static String target(Map<String, Object> event) {
        return switch (String.valueOf(event.get("event_type"))) {
            case "payment.authorized" -> "PAID";
            case "payment.declined" -> "REJECTED";
            case "inventory.reserved" -> "RESERVED";
            case "payment.refunded" -> "CANCELLED";
            case "notification.sent" -> "ORDER_CONFIRMED".equals(event.get("kind")) ? "COMPLETED" : null;
            default -> null; // inventory.rejected: the refund that follows cancels the order
        };
    }

    /** Whether an order in {@code current} may move to {@code target}. */
    static boolean allows(String current, String target) {
        if (target == null || TERMINAL_EVENTS.containsKey(current)) {
            return false;
        }
        return switch (target) {
            case "REJECTED" -> current.equals("PENDING");
            case "CANCELLED" -> current.equals("PENDING") || current.equals("PAID");
            default -> PROGRESS.indexOf(target) > PROGRESS.indexOf(current);
        };
    }

    /** The statuses an order may be in when {@code target} is asked for, as a PostgreSQL {@code text[]} literal. */
    static String allowedFrom(String target) {
        return ArrayLiteral.of(STATUSES.stream().filter(status -> allows(status, target)).toList());
    }

    /**
     * The change an outcome event asks for, as the named parameters of the one statement that applies it: it locks
     * the order, moves it to {@code target} if its status is one of {@code allowedFrom}, and records the event on the
     * timeline with the status it left the order in.
     *
     * @param event the outcome event's payload
     * @return {@code orderId}, {@code eventId}, {@code type}, {@code occurredAt}, {@code target} ({@code null} when
     *     the event only goes on the timeline), {@code allowedFrom} and {@code terminal} (whether target ends the order)
     */
    public Map<String, Object> change(@Body Map<String, Object> event) {
        String target = target(event);
        Map<String, Object> change = new HashMap<>();
        change.put("orderId", event.get("order_id"));
        change.put("eventId", event.get("event_id"));
        change.put("type", event.get("event_type"));
        change.put("occurredAt", event.get("occurred_at"));
        change.put("target", target);
        change.put("allowedFrom", target == null ? "{}" : ALLOWED_FROM.get(target));
        change.put("terminal", target != null && TERMINAL_EVENTS.containsKey(target));
        return change;
    }

    /** {@link #change}: a message's parameters of the batch statement that applies the changes. */
    @Override
    public Map<String, Object> apply(Map<String, Object> event) {
        return change(event);
    }

    /**
     * @param event the outcome event's payload
     * @param order what the statement answered: the order as it was locked ({@code previous} status,
     *              {@code customer_id}, {@code total_amount}, {@code currency}, {@code created_at}) and {@code status},
     *              the status it moved to, {@code null} when it did not move; {@code null} when there is no such order
     * @return {@code status} (after the event), {@code changed}, and, when the order reached a terminal status,
     *     {@code terminal}: the payload of order.completed|rejected|cancelled
     */
    public Map<String, Object> outcome(@Variable("event") Map<String, Object> event, @Variable("order") Map<String, Object> order) {
        if (order == null) {
            throw new IllegalStateException("no order " + event.get("order_id") + " for " + event.get("event_type"));
        }
        Object moved = order.get("status");
        boolean changed = moved != null;
        String status = String.valueOf(changed ? moved : order.get("previous"));

        Map<String, Object> result = new HashMap<>();
        result.put("status", status);
        result.put("changed", changed);
        result.put("terminal", changed && TERMINAL_EVENTS.containsKey(status) ? terminal(event, order, status) : null);
        return result;
    }

    private static Map<String, Object> terminal(Map<String, Object> event, Map<String, Object> order, String status) {
        OffsetDateTime createdAt = toUtc(order.get("created_at"));
        OffsetDateTime terminalAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event_type", TERMINAL_EVENTS.get(status));
        payload.put("order_id", event.get("order_id"));
        payload.put("customer_id", order.get("customer_id"));
        payload.put("status", status);
        payload.put("total_amount", order.get("total_amount"));
        payload.put("currency", String.valueOf(order.get("currency")).trim());
        payload.put("created_at", createdAt.toString());
        payload.put("terminal_at", terminalAt.toString());
        payload.put("processing_ms", Math.max(0, Duration.between(createdAt, terminalAt).toMillis()));
        payload.put("reason", event.get("reason"));
        return payload;
    }

    private static OffsetDateTime toUtc(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.withOffsetSameInstant(ZoneOffset.UTC);
        }
        if (value instanceof TemporalAccessor temporal) {
            return OffsetDateTime.from(temporal).withOffsetSameInstant(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(String.valueOf(value)).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
