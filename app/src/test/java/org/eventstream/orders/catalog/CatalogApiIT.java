package org.eventstream.orders.catalog;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Products and customers through the orders-api bundle against the real PostgreSQL.
 */
class CatalogApiIT {

    private static RunningBundles bundles;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        bundles = RunningBundles.start("orders-api");
        http = bundles.http();
    }

    @AfterAll
    static void stop() throws Exception {
        bundles.close();
    }

    @BeforeEach
    void empty() throws Exception {
        TestDatabase.truncateAll();
    }

    @Test
    void createsReadsAndReplacesAProduct() throws Exception {
        Http.Response created = http.postJson("/products", "{\"sku\":\"W-1\",\"name\":\"Widget\",\"price\":12.5,\"stock_available\":7}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.location()).isEqualTo("/products/" + id);
        assertThat(created.json().get("price").decimalValue()).isEqualByComparingTo("12.50");

        Http.Response replaced = http.putJson("/products/" + id, "{\"sku\":\"W-1\",\"name\":\"Widget v2\",\"price\":13,\"stock_available\":9}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("name").asText()).isEqualTo("Widget v2");

        JsonNode read = http.get("/products/" + id + "/").json();
        assertThat(read.get("stock_available").asInt()).isEqualTo(9);
        assertThat(read.get("price").decimalValue()).isEqualByComparingTo("13.00");
        assertThat(TestDatabase.text("SELECT name FROM catalog.products WHERE id = ?::uuid", id)).isEqualTo("Widget v2");
    }

    @Test
    void replacingWithAnotherProductsSkuIsAConflictAndChangesNothing() throws Exception {
        http.postJson("/products", "{\"sku\":\"A-1\",\"name\":\"A\",\"price\":1,\"stock_available\":1}");
        String b = http.postJson("/products", "{\"sku\":\"B-1\",\"name\":\"B\",\"price\":2,\"stock_available\":2}").json().get("id").asText();

        Http.Response conflict = http.putJson("/products/" + b, "{\"sku\":\"A-1\",\"name\":\"B\",\"price\":2,\"stock_available\":2}");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("detail").asText()).contains("sku");
        assertThat(TestDatabase.text("SELECT sku FROM catalog.products WHERE id = ?::uuid", b)).isEqualTo("B-1");
    }

    @Test
    void pagesThroughProductsInCreationOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(http.postJson("/products", "{\"sku\":\"P-" + i + "\",\"name\":\"P\",\"price\":1,\"stock_available\":1}")
                    .json().get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = http.get("/products?limit=2" + (after == null ? "" : "&after=" + after)).json();
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            after = page.get("next_after").isNull() ? null : page.get("next_after").asText();
        } while (after != null);
        assertThat(seen).containsExactlyElementsOf(ids);
    }

    @Test
    void createsAndReadsCustomers() throws Exception {
        Http.Response created = http.postJson("/customers", "{\"name\":\"Grace\",\"email\":\"Grace@Example.com\",\"payment_blocked\":true}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("email").asText()).isEqualTo("grace@example.com");
        assertThat(created.json().get("payment_blocked").asBoolean()).isTrue();

        assertThat(http.get("/customers/" + id).json().get("name").asText()).isEqualTo("Grace");
        assertThat(http.get("/customers").json().get("items")).hasSize(1);
        assertThat(http.get("/customers/").json().get("items").get(0).get("id").asText()).isEqualTo(id);
    }
}
