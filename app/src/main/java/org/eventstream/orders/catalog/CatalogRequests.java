package org.eventstream.orders.catalog;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eventstream.orders.json.JsonRequest;

/**
 * Validates product and customer bodies into the named parameters of their SQL statements.
 */
public class CatalogRequests {

    private static final Set<String> PRODUCT_FIELDS = Set.of("sku", "name", "price", "stock_available");
    private static final Set<String> CUSTOMER_FIELDS = Set.of("name", "email", "payment_blocked");
    private static final Pattern SKU = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final int MAX_STOCK = 1_000_000_000;

    /** A product for POST (create, under the new {@code id}) and PUT (replace): every field is required. */
    public Map<String, Object> product(String body) {
        ObjectNode root = JsonRequest.parseObject(body);
        JsonRequest reader = JsonRequest.reader();
        reader.rejectUnknownFields(root, "", PRODUCT_FIELDS);
        String sku = reader.text(root, "", "sku", true, 64);
        if (sku != null && !SKU.matcher(sku).matches()) {
            reader.reject("sku", "must be letters, digits, '.', '_' or '-'");
        }
        String name = reader.text(root, "", "name", true, 200);
        BigDecimal price = reader.amount(root, "", "price", true);
        Integer stock = reader.integer(root, "", "stock_available", true, 0, MAX_STOCK);
        reader.throwIfInvalid();

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", java.util.UUID.randomUUID().toString());
        params.put("sku", sku);
        params.put("name", name);
        params.put("price", price);
        params.put("stockAvailable", stock);
        return params;
    }

    public Map<String, Object> customer(String body) {
        ObjectNode root = JsonRequest.parseObject(body);
        JsonRequest reader = JsonRequest.reader();
        reader.rejectUnknownFields(root, "", CUSTOMER_FIELDS);
        String name = reader.text(root, "", "name", true, 200);
        String email = reader.text(root, "", "email", true, 254);
        if (email != null && !EMAIL.matcher(email).matches()) {
            reader.reject("email", "must be an e-mail address");
        }
        Boolean paymentBlocked = reader.bool(root, "", "payment_blocked");
        reader.throwIfInvalid();

        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", java.util.UUID.randomUUID().toString());
        params.put("name", name);
        params.put("email", email == null ? null : email.toLowerCase(java.util.Locale.ROOT));
        params.put("paymentBlocked", Boolean.TRUE.equals(paymentBlocked));
        return params;
    }
}
