package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An order about to be placed: what the one statement of routes/orders-api/orders.camel.yaml needs to price it from
 * the catalog and write its row, lines, timeline entry and {@code order.created} outbox event — or to refuse it.
 *
 * @param items the requested lines as JSON, {@code [{product_id, quantity}]} in the request's order
 * @param expectedTotal the one-line form's {@code total_amount}, which the catalog's prices must match; else null
 */
public record NewOrder(
        UUID id,
        UUID customerId,
        String currency,
        String items,
        BigDecimal expectedTotal,
        String idempotencyKey,
        String requestHash,
        OffsetDateTime createdAt,
        UUID eventId,
        String eventHeaders) {

    public static final String EVENT_TYPE = "order.created";

    /**
     * The id alone: equal orders have equal ids. Camel hashes the instance on every {@code ${variable.order.…}} of the
     * routes (its bean-info cache key), and the record's own hash walks every field.
     */
    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Named parameters of the statement that prices and writes the order. */
    public Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", id);
        params.put("customerId", customerId);
        params.put("currency", currency);
        params.put("items", items);
        params.put("expectedTotal", expectedTotal);
        params.put("idempotencyKey", idempotencyKey);
        params.put("requestHash", requestHash);
        params.put("createdAt", createdAt);
        // the event's occurred_at, spelled as the events of the other services spell theirs (ISO-8601, Z)
        params.put("occurredAt", createdAt.toString());
        params.put("eventId", eventId);
        params.put("eventType", EVENT_TYPE);
        params.put("headers", eventHeaders);
        return params;
    }
}
