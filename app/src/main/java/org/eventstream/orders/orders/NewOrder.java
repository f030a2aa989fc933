package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A priced order about to be written: its row, its lines, and its {@code order.created} outbox event.
 */
public record NewOrder(
        UUID id,
        UUID customerId,
        String currency,
        BigDecimal totalAmount,
        List<PricedLine> lines,
        String idempotencyKey,
        String requestHash,
        OffsetDateTime createdAt,
        UUID eventId,
        String eventPayload,
        String eventHeaders) {

    public static final String EVENT_TYPE = "order.created";

    /**
     * The id alone: equal orders have equal ids. Camel hashes the instance on every {@code ${variable.order.…}} of the
     * routes (its bean-info cache key), and the record's own hash walks every line and the event's JSON.
     */
    @Override
    public int hashCode() {
        return id.hashCode();
    }

    public record PricedLine(int lineNo, UUID productId, String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }

    /** Named parameters of the insert of the order, its lines (from the event's items), timeline entry and outbox row. */
    public Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", id);
        params.put("customerId", customerId);
        params.put("currency", currency);
        params.put("totalAmount", totalAmount);
        params.put("idempotencyKey", idempotencyKey);
        params.put("requestHash", requestHash);
        params.put("createdAt", createdAt);
        params.put("eventId", eventId);
        params.put("eventType", EVENT_TYPE);
        params.put("payload", eventPayload);
        params.put("headers", eventHeaders);
        return params;
    }
}
