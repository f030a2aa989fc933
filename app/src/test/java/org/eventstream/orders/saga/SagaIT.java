package org.eventstream.orders.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestQueues;
import org.eventstream.orders.support.TestRedis;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline in one JVM (every bundle) against the real servers: 500 orders over a catalog with limited
 * stock, then every event delivered again, twice and once more with Redis emptied, then outcome events of one order
 * out of order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SagaIT {

    private static final int ORDERS = 500;
    private static final Map<String, Integer> INITIAL_STOCK = new LinkedHashMap<>();
    private static final Map<Integer, String> ORDER_IDS = new HashMap<>();
    private static final List<Integer> EXPECTED_REJECTED = new ArrayList<>();

    private static RunningBundles bundles;
    private static Http http;
    private static String apples;
    private static String pears;
    private static String plums;
    private static String gold;

    @BeforeAll
    static void start() throws Exception {
        TestServers.resetPipeline();
        bundles = RunningBundles.start(Map.of(
                "payment.max-amount", "500.00",
                // keep published rows, so the test can deliver every event again
                "outbox.retention-seconds", "3600"));
        http = bundles.http();
        Catalog catalog = new Catalog(http);
        apples = catalog.product("APPLE", "10.00", 300);
        pears = catalog.product("PEAR", "25.00", 100);
        plums = catalog.product("PLUM", "5.00", 50);
        gold = catalog.product("GOLD", "200.00", 1000);
        INITIAL_STOCK.putAll(Map.of(apples, 300, pears, 100, plums, 50, gold, 1000));
        List<String> customers = new ArrayList<>();
        for (int c = 0; c < 9; c++) {
            customers.add(catalog.customer("Customer" + c, false));
        }
        String blocked = catalog.customer("Blocked", true);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Map<Integer, Future<Http.Response>> responses = new HashMap<>();
            for (int i = 0; i < ORDERS; i++) {
                int n = i;
                Map<String, Integer> lines = new LinkedHashMap<>();
                String customer;
                if (n % 10 == 9) {
                    customer = blocked;                      // declined: customer_blocked
                    lines.put(apples, 1);
                    EXPECTED_REJECTED.add(n);
                } else if (n % 25 == 0) {
                    customer = customers.get(n % 9);         // declined: 3 x 200.00 is over the 500.00 limit
                    lines.put(gold, 3);
                    EXPECTED_REJECTED.add(n);
                } else {
                    customer = customers.get(n % 9);         // competes for the limited stock
                    lines.put(apples, 1 + n % 3);
                    if (n % 2 == 0) {
                        lines.put(pears, 1);
                    }
                    if (n % 5 == 0) {
                        lines.put(plums, 2);
                    }
                }
                String body = Catalog.order(customer, lines);
                responses.put(n, pool.submit(() -> http.postJson("/orders", body)));
            }
            for (Map.Entry<Integer, Future<Http.Response>> response : responses.entrySet()) {
                Http.Response created = response.getValue().get();
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                ORDER_IDS.put(response.getKey(), created.json().get("id").asText());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundles != null) {
            bundles.close();
        }
    }

    private static long count(String sql) throws Exception {
        return TestDatabase.count(sql);
    }

    @Test
    @Order(1)
    void everyOrderReachesATerminalStatusByTheRules() throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                count("SELECT count(*) FROM orders.orders WHERE status IN ('COMPLETED', 'REJECTED', 'CANCELLED')") == ORDERS);

        long completed = count("SELECT count(*) FROM orders.orders WHERE status = 'COMPLETED'");
        long rejected = count("SELECT count(*) FROM orders.orders WHERE status = 'REJECTED'");
        long cancelled = count("SELECT count(*) FROM orders.orders WHERE status = 'CANCELLED'");
        assertThat(rejected).isEqualTo(EXPECTED_REJECTED.size());
        for (int n : EXPECTED_REJECTED) {
            assertThat(TestDatabase.text("SELECT status FROM orders.orders WHERE id = ?::uuid", ORDER_IDS.get(n))).isEqualTo("REJECTED");
        }
        // demand for apples is about three times the stock: some orders must be cancelled, some complete
        assertThat(completed).isPositive();
        assertThat(cancelled).isPositive();
        assertThat(completed + rejected + cancelled).isEqualTo(ORDERS);

        // exactly one payment per order; refunds for every cancelled order
        assertThat(count("SELECT count(*) FROM payments.payments")).isEqualTo(ORDERS);
        assertThat(count("SELECT count(DISTINCT order_id) FROM payments.payments")).isEqualTo(ORDERS);
        assertThat(count("SELECT count(*) FROM payments.payments WHERE status = 'AUTHORIZED'")).isEqualTo(completed);
        assertThat(count("SELECT count(*) FROM payments.payments WHERE status = 'DECLINED'")).isEqualTo(rejected);
        assertThat(count("SELECT count(*) FROM payments.payments p JOIN orders.orders o ON o.id = p.order_id "
                + "WHERE p.status = 'REFUNDED' AND o.status = 'CANCELLED'")).isEqualTo(cancelled);

        // stock = initial - what the completed orders reserved; never negative
        for (Map.Entry<String, Integer> product : INITIAL_STOCK.entrySet()) {
            long reserved = count("SELECT coalesce(sum(i.quantity), 0) FROM orders.order_items i JOIN orders.orders o ON o.id = i.order_id "
                    + "WHERE o.status = 'COMPLETED' AND i.product_id = '" + product.getKey() + "'");
            long stock = count("SELECT stock_available FROM catalog.products WHERE id = '" + product.getKey() + "'");
            assertThat(stock).as("stock of " + product.getKey()).isEqualTo(product.getValue() - reserved).isNotNegative();
        }
        // a cancelled order did not fit: stock only shrinks, so one of its lines is still more than what is left
        assertThat(count("SELECT count(*) FROM orders.orders o WHERE o.status = 'CANCELLED' AND NOT EXISTS ("
                + "SELECT 1 FROM orders.order_items i JOIN catalog.products p ON p.id = i.product_id "
                + "WHERE i.order_id = o.id AND i.quantity > p.stock_available)")).isZero();
        assertThat(count("SELECT count(*) FROM inventory.reservations WHERE status = 'RESERVED'")).isEqualTo(completed);

        // one notification per order and kind
        assertThat(count("SELECT count(*) FROM notifications.notifications WHERE kind = 'ORDER_CONFIRMED'")).isEqualTo(completed);
        assertThat(count("SELECT count(*) FROM notifications.notifications WHERE kind = 'PAYMENT_DECLINED'")).isEqualTo(rejected);
        assertThat(count("SELECT count(*) FROM notifications.notifications WHERE kind = 'PAYMENT_REFUNDED'")).isEqualTo(cancelled);

        // the aggregator saw every outcome; nothing was dead-lettered
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM analytics.order_outcomes") == ORDERS);
        JsonNode summary = http.get("/metrics/summary").json();
        assertThat(summary.get("total_orders").asLong()).isEqualTo(ORDERS);
        assertThat(summary.get("completed_orders").asLong()).isEqualTo(completed);
        assertThat(summary.get("success_rate").asDouble()).isCloseTo((double) completed / ORDERS, org.assertj.core.data.Offset.offset(0.0001));
        assertThat(summary.get("processing_time_ms").get("p99").asLong()).isPositive();
        String today = TestDatabase.text("SELECT (now() AT TIME ZONE 'UTC')::date::text");
        JsonNode daily = http.get("/metrics/daily?date=" + today).json();
        assertThat(daily.get("total_orders").asLong()).isEqualTo(ORDERS);
        assertThat(TestQueues.deadLettered()).isEmpty();
    }

    @Test
    @Order(2)
    void theTimelineShowsEveryStep() throws Exception {
        String completed = TestDatabase.text("SELECT id::text FROM orders.orders WHERE status = 'COMPLETED' LIMIT 1");
        JsonNode order = http.get("/orders/" + completed).json();

        assertThat(order.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(order.get("completed_at").asText()).isNotBlank();
        assertThat(order.get("timeline").findValuesAsText("type"))
                .contains("order.created", "payment.authorized", "inventory.reserved", "notification.sent");

        String cancelled = TestDatabase.text("SELECT id::text FROM orders.orders WHERE status = 'CANCELLED' LIMIT 1");
        assertThat(http.get("/orders/" + cancelled).json().get("timeline").findValuesAsText("type"))
                .contains("order.created", "payment.authorized", "inventory.rejected", "payment.refunded");
    }

    @Test
    @Order(3)
    void everyEventDeliveredAgainAppliesNoEffectTwice() throws Exception {
        String before = effects();

        TestQueues.republishOutbox(2);
        TestQueues.awaitDrained();
        assertThat(effects()).isEqualTo(before);

        assertThat(TestRedis.forgetIdempotencyKeys()).isPositive();
        TestQueues.republishOutbox(1);
        TestQueues.awaitDrained();
        assertThat(effects()).isEqualTo(before);

        // by default the relay deletes a row once it is published: a repeated effect must append no event at all, not
        // merely one that collides with the row its first delivery appended
        List<Object[]> events = TestQueues.outboxEvents();
        TestDatabase.execute("DELETE FROM messaging.outbox");
        String withoutOutbox = effects();
        assertThat(TestRedis.forgetIdempotencyKeys()).isPositive();
        TestQueues.publish(events, 1);
        TestQueues.awaitDrained();
        assertThat(effects()).isEqualTo(withoutOutbox);
        assertThat(TestQueues.deadLettered()).isEmpty();
    }

    @Test
    @Order(4)
    void outcomeEventsOutOfOrderMoveAnOrderOnlyForward() throws Exception {
        String orderId = UUID.randomUUID().toString();
        TestDatabase.execute("INSERT INTO orders.orders (id, customer_id, status, total_amount, currency) "
                + "SELECT '" + orderId + "', customer_id, 'PENDING', 10.00, 'USD' FROM orders.orders LIMIT 1");

        // the reservation overtakes the payment: it implies it, and the payment that arrives late changes nothing
        outcome(orderId, "inventory.reserved", "");
        assertThat(TestDatabase.text("SELECT status FROM orders.orders WHERE id = ?::uuid", orderId)).isEqualTo("RESERVED");
        outcome(orderId, "payment.authorized", "");
        outcome(orderId, "notification.sent", ",\"kind\":\"ORDER_CONFIRMED\"");
        // nothing leaves a terminal status: a refund after the completion is recorded and changes nothing
        outcome(orderId, "payment.refunded", "");

        assertThat(TestDatabase.text("SELECT status FROM orders.orders WHERE id = ?::uuid", orderId)).isEqualTo("COMPLETED");
        assertThat(TestDatabase.text("SELECT string_agg(type || ':' || status, ',' ORDER BY id) FROM orders.order_events "
                + "WHERE order_id = ?::uuid", orderId)).isEqualTo(
                "inventory.reserved:RESERVED,payment.authorized:RESERVED,notification.sent:COMPLETED,payment.refunded:COMPLETED");
        assertThat(TestDatabase.text("SELECT string_agg(event_type, ',') FROM messaging.outbox WHERE aggregate_id = ?", orderId))
                .isEqualTo("order.completed");
        assertThat(TestQueues.deadLettered()).isEmpty();
    }

    /** Sends one outcome event of the order straight to orders-api's queue and waits until it is on the timeline. */
    private static void outcome(String orderId, String type, String extraFields) throws Exception {
        String eventId = UUID.randomUUID().toString();
        TestQueues.sendToQueue("orders-api." + type, eventId, "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type
                + "\",\"order_id\":\"" + orderId + "\",\"occurred_at\":\"2026-11-28T10:00:00Z\"" + extraFields + "}");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM orders.order_events WHERE event_id = '" + eventId + "'") == 1);
    }

    /** Every effect the services apply, counted. */
    private static String effects() throws Exception {
        return String.join(" | ",
                "payments " + TestDatabase.text("SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM "
                        + "(SELECT status, count(*) n FROM payments.payments GROUP BY status) s"),
                "reservations " + count("SELECT count(*) FROM inventory.reservations"),
                "stock " + TestDatabase.text("SELECT string_agg(sku || ':' || stock_available, ',' ORDER BY sku) FROM catalog.products"),
                "notifications " + count("SELECT count(*) FROM notifications.notifications"),
                "timeline " + count("SELECT count(*) FROM orders.order_events"),
                "statuses " + TestDatabase.text("SELECT string_agg(status || ':' || n, ',' ORDER BY status) FROM "
                        + "(SELECT status, count(*) n FROM orders.orders GROUP BY status) s"),
                "outbox " + count("SELECT count(*) FROM messaging.outbox"),
                "outcomes " + count("SELECT count(*) FROM analytics.order_outcomes"),
                "created " + count("SELECT count(*) FROM analytics.created_orders"),
                "daily " + TestDatabase.text("SELECT string_agg(total_orders || '/' || total_revenue, ',') FROM analytics.order_metrics"));
    }
}
