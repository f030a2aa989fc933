package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.eventstream.orders.http.Problem;
import org.eventstream.orders.http.ProblemException;
import org.eventstream.orders.messaging.Traceparent;
import org.eventstream.orders.sql.ArrayLiteral;

/**
 * Prices a validated request from the catalog rows and builds the order and its {@code order.created} event.
 * Unknown customers and products, and a one-line {@code total_amount} that disagrees with the catalog, are 422.
 */
public class OrderPricing {

    private final ObjectMapper mapper = new ObjectMapper();

    /** The parameters of the catalog read: {@code customerId}, {@code productIds}. */
    public Map<String, Object> catalogLookup(@Variable("request") OrderRequest request) {
        Map<String, Object> params = new HashMap<>();
        params.put("customerId", request.customerId());
        params.put("productIds", ArrayLiteral.of(request.productIds()));
        return params;
    }

    /**
     * @param catalog the rows of the one catalog read: {@code customer_found} on every row (there is at least one), and
     *                {@code id}, {@code sku} and {@code price} of a requested product on each row that found one (null
     *                on the single row when none was found)
     */
    public NewOrder price(
            @Variable("request") OrderRequest request,
            @Body List<Map<String, Object>> catalog,
            @Header("Idempotency-Key") String idempotencyKey,
            @Header("traceparent") String traceparent) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (catalog.isEmpty() || !Boolean.TRUE.equals(catalog.get(0).get("customer_found"))) {
            errors.add(new Problem.FieldError("customer_id", "no customer with id '" + request.customerId() + "'"));
        }
        Map<String, Map<String, Object>> byId = new HashMap<>();
        catalog.stream().filter(row -> row.get("id") != null).forEach(row -> byId.put(String.valueOf(row.get("id")), row));

        List<NewOrder.PricedLine> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (int i = 0; i < request.lines().size(); i++) {
            OrderRequest.Line line = request.lines().get(i);
            Map<String, Object> product = byId.get(line.productId().toString());
            if (product == null) {
                String field = request.oneLineForm() ? "product_id" : "items[" + i + "].product_id";
                errors.add(new Problem.FieldError(field, "no product with id '" + line.productId() + "'"));
                continue;
            }
            BigDecimal unitPrice = ((BigDecimal) product.get("price")).setScale(2);
            BigDecimal lineTotal = unitPrice.multiply(BigDecimal.valueOf(line.quantity()));
            total = total.add(lineTotal);
            lines.add(new NewOrder.PricedLine(i + 1, line.productId(), (String) product.get("sku"), line.quantity(), unitPrice, lineTotal));
        }
        if (errors.isEmpty() && request.expectedTotal() != null && request.expectedTotal().compareTo(total) != 0) {
            errors.add(new Problem.FieldError("total_amount",
                    "is " + request.expectedTotal().toPlainString() + " but the catalog prices the order at " + total.toPlainString()));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.unprocessable(errors));
        }

        UUID orderId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        OffsetDateTime createdAt = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        String headers = json(Map.of("traceparent", Traceparent.forOutbox(traceparent)));
        String payload = json(eventPayload(orderId, eventId, createdAt, request, total, lines));
        return new NewOrder(orderId, request.customerId(), request.currency(), total, List.copyOf(lines),
                idempotencyKey, request.fingerprint(), createdAt, eventId, payload, headers);
    }

    private static Map<String, Object> eventPayload(UUID orderId, UUID eventId, OffsetDateTime createdAt, OrderRequest request,
                                                    BigDecimal total, List<NewOrder.PricedLine> lines) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event_id", eventId.toString());
        payload.put("event_type", NewOrder.EVENT_TYPE);
        payload.put("occurred_at", createdAt.toString());
        payload.put("order_id", orderId.toString());
        payload.put("customer_id", request.customerId().toString());
        payload.put("total_amount", total);
        payload.put("currency", request.currency());
        payload.put("items", lines.stream().map(line -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("product_id", line.productId().toString());
            item.put("sku", line.sku());
            item.put("quantity", line.quantity());
            item.put("unit_price", line.unitPrice());
            item.put("line_total", line.lineTotal());
            return item;
        }).toList());
        return payload;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event of maps, strings and numbers always serializes", e);
        }
    }
}
