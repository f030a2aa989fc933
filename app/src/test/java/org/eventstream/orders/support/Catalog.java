package org.eventstream.orders.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Creates catalog entries through the API and builds order bodies, for the tests. */
public final class Catalog {

    private final Http http;

    public Catalog(Http http) {
        this.http = http;
    }

    public String customer(String name, boolean paymentBlocked) {
        Http.Response created = http.postJson("/customers", "{\"name\":\"" + name + "\",\"email\":\"" + name.toLowerCase()
                + "@example.com\",\"payment_blocked\":" + paymentBlocked + "}");
        if (created.status() != 201) {
            throw new IllegalStateException("customer not created: " + created.body());
        }
        return created.json().get("id").asText();
    }

    public String product(String sku, String price, int stock) {
        Http.Response created = http.postJson("/products", "{\"sku\":\"" + sku + "\",\"name\":\"" + sku + "\",\"price\":" + price
                + ",\"stock_available\":" + stock + "}");
        if (created.status() != 201) {
            throw new IllegalStateException("product not created: " + created.body());
        }
        return created.json().get("id").asText();
    }

    /** An order body: product id to quantity, in the map's order. */
    public static String order(String customerId, Map<String, Integer> lines) {
        List<String> items = new ArrayList<>();
        lines.forEach((product, quantity) -> items.add("{\"product_id\":\"" + product + "\",\"quantity\":" + quantity + "}"));
        return "{\"customer_id\":\"" + customerId + "\",\"items\":[" + String.join(",", items) + "]}";
    }
}
