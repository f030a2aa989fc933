package org.eventstream.orders.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.eventstream.orders.sql.ArrayLiteral;

/**
 * All-or-nothing stock reservation for a paid order. The route locks the order's product rows (in id order, so
 * concurrent reservations cannot deadlock); this decides from the locked stock whether every line fits. Only then
 * are the rows decremented (by the statement recording the reservation), so stock never goes negative and an order
 * never takes part of its lines.
 */
public class StockReservations {

    public static final String RESERVED = "inventory.reserved";
    public static final String REJECTED = "inventory.rejected";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The ids of the products to lock, as one array parameter ({@link ArrayLiteral}). */
    public String productIds(@Body Map<String, Object> paymentAuthorized) {
        return ArrayLiteral.of(lines(paymentAuthorized).stream().map(line -> line.get("product_id")).toList());
    }

    /**
     * @param locked the locked rows: {@code id}, {@code stock_available}
     * @return {@code status}, {@code reason}, {@code lines} (JSON; a RESERVED row's lines are also what its statement
     *     takes from stock) for the reservation row, and {@code event}, the payload of {@code inventory.reserved} or
     *     {@code inventory.rejected}
     */
    public Map<String, Object> decide(@Variable("payment") Map<String, Object> paymentAuthorized, @Body List<Map<String, Object>> locked) {
        Map<String, Integer> stock = new HashMap<>();
        locked.forEach(row -> stock.put(String.valueOf(row.get("id")), ((Number) row.get("stock_available")).intValue()));

        List<Map<String, Object>> lines = lines(paymentAuthorized);
        List<String> shortProducts = new ArrayList<>();
        for (Map<String, Object> line : lines) {
            String productId = String.valueOf(line.get("product_id"));
            int quantity = ((Number) line.get("quantity")).intValue();
            if (stock.getOrDefault(productId, 0) < quantity) {
                shortProducts.add(productId);
            }
        }
        boolean reserved = shortProducts.isEmpty();
        String reason = reserved ? null : "insufficient_stock";

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event_type", reserved ? RESERVED : REJECTED);
        event.put("order_id", paymentAuthorized.get("order_id"));
        event.put("customer_id", paymentAuthorized.get("customer_id"));
        event.put("items", lines);
        event.put("reason", reason);
        if (!reserved) {
            event.put("short_product_ids", shortProducts);
        }

        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("order_id", paymentAuthorized.get("order_id"));
        decision.put("status", reserved ? "RESERVED" : "REJECTED");
        decision.put("reason", reason);
        decision.put("lines", json(lines));
        decision.put("event", event);
        return decision;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> lines(Map<String, Object> payload) {
        Object items = payload.get("items");
        if (!(items instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("payment.authorized for order " + payload.get("order_id") + " has no items");
        }
        return (List<Map<String, Object>>) items;
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("order lines always serialize", e);
        }
    }
}
