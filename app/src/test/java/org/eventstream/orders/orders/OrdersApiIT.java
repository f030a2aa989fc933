package org.eventstream.orders.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST/GET /orders through the orders-api bundle against the real PostgreSQL.
 */
class OrdersApiIT {

    private static RunningBundles bundles;
    private static Http http;

    private String customerId;
    private String widgetId;
    private String gadgetId;

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
    void catalog() throws Exception {
        TestDatabase.truncateAll();
        customerId = http.postJson("/customers", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}").json().get("id").asText();
        widgetId = http.postJson("/products", "{\"sku\":\"W-1\",\"name\":\"Widget\",\"price\":12.50,\"stock_available\":10}")
                .json().get("id").asText();
        gadgetId = http.postJson("/products", "{\"sku\":\"G-1\",\"name\":\"Gadget\",\"price\":3.99,\"stock_available\":5}")
                .json().get("id").asText();
    }

    private String order(String productId, int quantity) {
        return "{\"customer_id\":\"" + customerId + "\",\"items\":[{\"product_id\":\"" + productId + "\",\"quantity\":" + quantity
                + "}],\"currency\":\"USD\"}";
    }

    @Test
    void storesOrderLinesTimelineAndOutboxRowInOneGo() throws Exception {
        String body = "{\"customer_id\":\"" + customerId + "\",\"items\":[{\"product_id\":\"" + widgetId + "\",\"quantity\":2},"
                + "{\"product_id\":\"" + gadgetId + "\",\"quantity\":3}],\"currency\":\"USD\"}";
        Http.Response created = http.postJson("/orders", body,
                "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.contentType()).startsWith("application/json");
        JsonNode order = created.json();
        String id = order.get("id").asText();
        assertThat(created.location()).isEqualTo("/orders/" + id);
        assertThat(order.get("status").asText()).isEqualTo("PENDING");
        assertThat(order.get("total_amount").decimalValue()).isEqualByComparingTo("36.97");
        assertThat(order.get("items")).hasSize(2);
        assertThat(order.get("items").get(1).get("unit_price").decimalValue()).isEqualByComparingTo("3.99");
        assertThat(order.get("timeline").get(0).get("type").asText()).isEqualTo("order.created");

        assertThat(TestDatabase.text("SELECT status FROM orders.orders WHERE id = ?::uuid", id)).isEqualTo("PENDING");
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.order_items WHERE order_id = ?::uuid", id)).isEqualTo(2);
        assertThat(TestDatabase.text("SELECT event_type FROM messaging.outbox WHERE aggregate_id = ?", id)).isEqualTo("order.created");
        String traceparent = TestDatabase.text("SELECT headers->>'traceparent' FROM messaging.outbox WHERE aggregate_id = ?", id);
        assertThat(traceparent).matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01");
        String payloadTotal = TestDatabase.text("SELECT payload->>'total_amount' FROM messaging.outbox WHERE aggregate_id = ?", id);
        assertThat(payloadTotal).isEqualTo("36.97");
        assertThat(TestDatabase.text("SELECT payload->>'event_id' FROM messaging.outbox WHERE aggregate_id = ?", id))
                .isEqualTo(order.get("timeline").get(0).get("event_id").asText());
        // the event's items are the lines as stored, priced from the catalog
        JsonNode items = new ObjectMapper().readTree(TestDatabase.text(
                "SELECT payload->>'items' FROM messaging.outbox WHERE aggregate_id = ?", id));
        assertThat(items).isEqualTo(new ObjectMapper().readTree(TestDatabase.text(
                "SELECT json_agg(orders.order_item_document(i) ORDER BY line_no)::text FROM orders.order_items i WHERE order_id = ?::uuid",
                id)));
        assertThat(items.get(0).get("sku").asText()).isEqualTo("W-1");
        assertThat(items.get(1).get("line_total").decimalValue()).isEqualByComparingTo("11.97");
        assertThat(TestDatabase.text("SELECT payload->>'occurred_at' FROM messaging.outbox WHERE aggregate_id = ?", id))
                .endsWith("Z").startsWith(order.get("created_at").asText().substring(0, 19));
    }

    @Test
    void acceptsTheEarlierApisOneLineForm() throws Exception {
        Http.Response created = http.postJson("/orders",
                "{\"customer_id\":\"" + customerId + "\",\"product_id\":\"" + widgetId + "\",\"quantity\":4,\"total_amount\":50.00}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("total_amount").decimalValue()).isEqualByComparingTo("50.00");

        Http.Response wrongTotal = http.postJson("/orders",
                "{\"customer_id\":\"" + customerId + "\",\"product_id\":\"" + widgetId + "\",\"quantity\":4,\"total_amount\":1.00}");
        assertThat(wrongTotal.status()).isEqualTo(422);
        assertThat(wrongTotal.json().get("errors").get(0).get("field").asText()).isEqualTo("total_amount");
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders")).isEqualTo(1);
    }

    @Test
    void aFailureAfterTheOrderInsertLeavesNeitherOrderNorOutboxRow() throws Exception {
        // the outbox insert, the last part of the one statement that writes the order, fails for this customer only
        TestDatabase.execute("""
                CREATE OR REPLACE FUNCTION messaging.test_refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload->>'customer_id' = '%s' THEN RAISE EXCEPTION 'injected outbox failure'; END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER test_refuse_outbox BEFORE INSERT ON messaging.outbox
                    FOR EACH ROW EXECUTE FUNCTION messaging.test_refuse_outbox();
                """.formatted(customerId));
        try {
            Http.Response refused = http.postJson("/orders", order(widgetId, 1));

            assertThat(refused.status()).isEqualTo(500);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.body()).doesNotContain("injected");
            assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders")).isZero();
            assertThat(TestDatabase.count("SELECT count(*) FROM orders.order_items")).isZero();
            assertThat(TestDatabase.count("SELECT count(*) FROM orders.order_events")).isZero();
            assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox")).isZero();
        } finally {
            TestDatabase.execute("DROP TRIGGER test_refuse_outbox ON messaging.outbox; DROP FUNCTION messaging.test_refuse_outbox()");
        }
        assertThat(http.postJson("/orders", order(widgetId, 1)).status()).isEqualTo(201);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheOriginalOrder() throws Exception {
        Http.Response first = http.postJson("/orders", order(widgetId, 2), "Idempotency-Key", "retry-1");
        // the same order spelled differently is the same request
        Http.Response retry = http.postJson("/orders",
                "{ \"currency\": \"USD\", \"items\": [ {\"quantity\": 2, \"product_id\": \"" + widgetId + "\"} ], \"customer_id\": \""
                        + customerId + "\" }",
                "Idempotency-Key", "retry-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
        assertThat(retry.location()).isEqualTo(first.location());
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders")).isEqualTo(1);
        assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox")).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherOrderIsAConflict() throws Exception {
        http.postJson("/orders", order(widgetId, 2), "Idempotency-Key", "key-2");
        String before = TestDatabase.orderFootprint();

        Http.Response conflict = http.postJson("/orders", order(widgetId, 3), "Idempotency-Key", "key-2");

        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.contentType()).isEqualTo("application/problem+json");
        assertThat(conflict.json().get("detail").asText()).contains("Idempotency-Key");
        assertThat(TestDatabase.orderFootprint()).isEqualTo(before);
    }

    @Test
    void concurrentFirstRequestsWithOneKeyCreateOneOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Response>> responses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                responses.add(pool.submit(() -> http.postJson("/orders", order(gadgetId, 1), "Idempotency-Key", "race")));
            }
            Set<String> ids = ConcurrentHashMap.newKeySet();
            for (Future<Http.Response> response : responses) {
                Http.Response r = response.get();
                assertThat(r.status()).isIn(200, 201);
                ids.add(r.json().get("id").asText());
            }
            assertThat(ids).hasSize(1);
            assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders")).isEqualTo(1);
            assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox")).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void getShowsTheOrderWithItsTimeline() throws Exception {
        Http.Response created = http.postJson("/orders", order(widgetId, 1));
        String id = created.json().get("id").asText();

        Http.Response found = http.get("/orders/" + id);
        // POST answers with the document built from the rows its statement inserted, GET reads it through the view:
        // the same functions build both (no consumer runs here, so the order has not moved in between)
        assertThat(created.body()).isEqualTo(found.body());
        Http.Response withSlash = http.get("/orders/" + id + "/");

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().get("id").asText()).isEqualTo(id);
        assertThat(found.json().get("items").get(0).get("sku").asText()).isEqualTo("W-1");
        assertThat(found.json().get("timeline").get(0).get("occurred_at").asText()).isNotBlank();
        assertThat(withSlash.status()).isEqualTo(200);
        assertThat(http.get("/orders/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        assertThat(http.get("/orders/not-a-uuid").status()).isEqualTo(404);
    }

    @Test
    void listsACustomersOrdersNewestFirstByKeyset() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(0, http.postJson("/orders", order(widgetId, i)).json().get("id").asText());
        }
        String otherCustomer = http.postJson("/customers", "{\"name\":\"Bob\",\"email\":\"bob@example.com\"}").json().get("id").asText();
        http.postJson("/orders", "{\"customer_id\":\"" + otherCustomer + "\",\"items\":[{\"product_id\":\"" + widgetId
                + "\",\"quantity\":1}]}");

        JsonNode first = http.get("/orders?customer_id=" + customerId + "&limit=2").json();
        JsonNode second = http.get("/orders/?customer_id=" + customerId + "&limit=2&after=" + first.get("next_after").asText()).json();
        JsonNode last = http.get("/orders?customer_id=" + customerId + "&limit=2&after=" + second.get("next_after").asText()).json();

        List<String> seen = new ArrayList<>();
        for (JsonNode page : List.of(first, second, last)) {
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(last.get("next_after").isNull()).isTrue();
        assertThat(http.get("/orders?status=PENDING&limit=100").json().get("items")).hasSize(6);
        assertThat(http.get("/orders?status=COMPLETED").json().get("items")).isEmpty();
    }
}
