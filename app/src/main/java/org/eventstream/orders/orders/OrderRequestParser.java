package org.eventstream.orders.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eventstream.orders.json.JsonRequest;

/**
 * Validates a POST /orders body: the item form {@code {customer_id, items:[{product_id, quantity}], currency}}
 * or the earlier API's one-line form {@code {customer_id, product_id, quantity, total_amount}}.
 */
public class OrderRequestParser {

    public static final int MAX_ITEMS = 100;
    public static final int MAX_QUANTITY = 1000;

    private static final Set<String> ITEM_FORM = Set.of("customer_id", "items", "currency");
    private static final Set<String> ONE_LINE_FORM = Set.of("customer_id", "product_id", "quantity", "total_amount", "currency");
    private static final Set<String> LINE_FIELDS = Set.of("product_id", "quantity");

    private final String currency;

    public OrderRequestParser(String currency) {
        this.currency = currency;
    }

    public OrderRequest parse(String body) {
        ObjectNode root = JsonRequest.parseObject(body);
        JsonRequest reader = JsonRequest.reader();
        boolean oneLine = !root.has("items") && (root.has("product_id") || root.has("quantity"));

        reader.rejectUnknownFields(root, "", oneLine ? ONE_LINE_FORM : ITEM_FORM);
        UUID customerId = reader.uuid(root, "", "customer_id", true);
        String requestedCurrency = reader.text(root, "", "currency", false, 3);
        if (requestedCurrency != null && !requestedCurrency.equals(currency)) {
            reader.reject("currency", "must be " + currency + ", the catalog's currency");
        }

        List<OrderRequest.Line> lines = new ArrayList<>();
        BigDecimal expectedTotal = null;
        if (oneLine) {
            UUID productId = reader.uuid(root, "", "product_id", true);
            Integer quantity = reader.integer(root, "", "quantity", true, 1, MAX_QUANTITY);
            expectedTotal = reader.amount(root, "", "total_amount", false);
            if (productId != null && quantity != null) {
                lines.add(new OrderRequest.Line(productId, quantity));
            }
        } else {
            readItems(root.get("items"), reader, lines);
        }
        reader.throwIfInvalid();
        return new OrderRequest(customerId, List.copyOf(lines), currency, expectedTotal, oneLine);
    }

    private static void readItems(JsonNode items, JsonRequest reader, List<OrderRequest.Line> lines) {
        if (items == null || items.isNull()) {
            reader.reject("items", "is required");
            return;
        }
        if (!items.isArray()) {
            reader.reject("items", "must be an array");
            return;
        }
        if (items.isEmpty()) {
            reader.reject("items", "must hold at least one item");
            return;
        }
        if (items.size() > MAX_ITEMS) {
            reader.reject("items", "must hold at most " + MAX_ITEMS + " items");
            return;
        }
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String prefix = "items[" + i + "].";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                reader.reject("items[" + i + "]", "must be an object");
                continue;
            }
            ObjectNode line = (ObjectNode) item;
            reader.rejectUnknownFields(line, prefix, LINE_FIELDS);
            UUID productId = reader.uuid(line, prefix, "product_id", true);
            Integer quantity = reader.integer(line, prefix, "quantity", true, 1, MAX_QUANTITY);
            if (productId != null && !seen.add(productId)) {
                reader.reject(prefix + "product_id", "duplicates an earlier line; merge the quantities into one line");
            } else if (productId != null && quantity != null) {
                lines.add(new OrderRequest.Line(productId, quantity));
            }
        }
    }
}
