package org.eventstream.orders.inventory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.eventstream.orders.sql.ArrayLiteral;
import org.eventstream.orders.support.ConsumerCounts;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestBroker;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch of reservations through the real servers, in one transaction: each reservation is decided on the stock the
 * reservations before it in the batch left, and a reservation recorded before (a repeat) takes and announces nothing;
 * a rejection names the products that fell short, one missing from the catalog too.
 * The batch must commit as one: a reservation decided on too much stock would break the products'
 * {@code stock_available >= 0} check, fail its delivery and send the batch back message by message.
 */
class BatchedReservationsIT {

    private static final String QUEUE = "inventory.payment.authorized";
    private static final String ROUTE = "inventory-consume-payment-authorized";

    private static RunningBundles bundles;

    @BeforeAll
    static void start() throws Exception {
        TestServers.resetPipeline();
        bundles = RunningBundles.start(Map.of(), "inventory");
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundles != null) {
            bundles.close();
        }
    }

    @Test
    void eachReservationOfABatchTakesWhatTheOnesBeforeItLeft() throws Exception {
        CamelContext context = bundles.runtime().context();
        MeterRegistry meters = bundles.runtime().telemetry().meterRegistry();
        long batchesBefore = ConsumerCounts.batches(meters, QUEUE);
        double failedBefore = ConsumerCounts.messages(meters, QUEUE, "failed");
        context.getRouteController().stopRoute(ROUTE);

        String a = product(5);
        String b = product(3);
        String c = product(6);
        // reserved and committed before the batch: its 4 of c are taken already (10 -> 6)
        String earlier = UUID.randomUUID().toString();
        TestDatabase.execute("INSERT INTO inventory.reservations (order_id, lines, status) VALUES ('" + earlier + "', '"
                + lines(Map.of(c, 4)) + "', 'RESERVED')");

        Map<String, Map<String, Integer>> orders = new LinkedHashMap<>();
        String first = UUID.randomUUID().toString();
        orders.put(first, Map.of(a, 3));                          // a 5 -> 2
        String tooMuchOfA = UUID.randomUUID().toString();
        orders.put(tooMuchOfA, Map.of(a, 3));                     // 2 left: rejected
        orders.put(earlier, Map.of(c, 4));                        // a repeat: decided on 6, records and takes nothing
        String aAndB = UUID.randomUUID().toString();
        orders.put(aAndB, new LinkedHashMap<>(Map.of(a, 2, b, 1)));  // a 2 -> 0, b 3 -> 2
        String restOfB = UUID.randomUUID().toString();
        orders.put(restOfB, Map.of(b, 2));                        // b 2 -> 0
        String tooMuchOfB = UUID.randomUUID().toString();
        orders.put(tooMuchOfB, Map.of(b, 1));                     // none left: rejected
        String unknown = UUID.randomUUID().toString();
        String notInCatalog = UUID.randomUUID().toString();
        orders.put(notInCatalog, new LinkedHashMap<>(Map.of(c, 1))); // c fits, the unknown product does not: rejected
        orders.get(notInCatalog).put(unknown, 1);
        String allOfC = UUID.randomUUID().toString();
        orders.put(allOfC, Map.of(c, 6));                         // 6 still there: the repeat took nothing

        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            for (Map.Entry<String, Map<String, Integer>> order : orders.entrySet()) {
                String eventId = UUID.randomUUID().toString();
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(eventId)
                        .contentType("application/json").deliveryMode(2).build();
                channel.basicPublish("", QUEUE, properties, paymentAuthorized(eventId, order.getKey(), order.getValue())
                        .getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(QUEUE) == orders.size());
            context.getRouteController().startRoute(ROUTE);
            await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
                    "SELECT count(*) FROM messaging.outbox WHERE event_type LIKE 'inventory.%' AND aggregate_id = ANY (CAST(? AS text[]))",
                    ArrayLiteral.of(new ArrayList<>(orders.keySet()))) == orders.size() - 1);
        }

        assertThat(ConsumerCounts.batches(meters, QUEUE) - batchesBefore)
                .as("batches taken for %d messages", orders.size()).isLessThanOrEqualTo(2);
        assertThat(ConsumerCounts.messages(meters, QUEUE, "failed"))
                .as("deliveries failed (the batch then goes again message by message)").isEqualTo(failedBefore);
        assertThat(status(first)).isEqualTo("RESERVED");
        assertThat(status(tooMuchOfA)).isEqualTo("REJECTED");
        assertThat(status(earlier)).isEqualTo("RESERVED");
        assertThat(status(aAndB)).isEqualTo("RESERVED");
        assertThat(status(restOfB)).isEqualTo("RESERVED");
        assertThat(status(tooMuchOfB)).isEqualTo("REJECTED");
        assertThat(status(notInCatalog)).isEqualTo("REJECTED");
        assertThat(status(allOfC)).isEqualTo("RESERVED");
        assertThat(stock(a)).isZero();
        assertThat(stock(b)).isZero();
        assertThat(stock(c)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox WHERE aggregate_id = ?", earlier))
                .as("the repeat announces nothing").isZero();

        // the outcome events: type, id (derived from the delivery), reason, and the products that fell short
        JsonNode reserved = outcome(aAndB);
        assertThat(reserved.get("event_type").asText()).isEqualTo(StockReservations.RESERVED);
        assertThat(reserved.get("reason").isNull()).isTrue();
        assertThat(reserved.has("short_product_ids")).isFalse();
        assertThat(reserved.get("items")).hasSize(2);
        assertThat(TestDatabase.text("SELECT event_id::text FROM messaging.outbox WHERE aggregate_id = ?", aAndB))
                .isEqualTo(reserved.get("event_id").asText());
        for (Map.Entry<String, String> rejected : Map.of(tooMuchOfA, a, tooMuchOfB, b, notInCatalog, unknown).entrySet()) {
            JsonNode event = outcome(rejected.getKey());
            assertThat(event.get("event_type").asText()).isEqualTo(StockReservations.REJECTED);
            assertThat(event.get("reason").asText()).isEqualTo("insufficient_stock");
            assertThat(event.get("short_product_ids").toString()).isEqualTo("[\"" + rejected.getValue() + "\"]");
        }
    }

    private static JsonNode outcome(String orderId) throws Exception {
        return new ObjectMapper().readTree(TestDatabase.text(
                "SELECT payload::text FROM messaging.outbox WHERE aggregate_id = ? AND event_type LIKE 'inventory.%'", orderId));
    }

    private static String product(int stock) throws Exception {
        String id = UUID.randomUUID().toString();
        TestDatabase.execute("INSERT INTO catalog.products (id, sku, name, price, stock_available) VALUES ('" + id + "', '"
                + id + "', 'Batched reservations', 1.00, " + stock + ")");
        return id;
    }

    private static String status(String orderId) throws Exception {
        return TestDatabase.text("SELECT status FROM inventory.reservations WHERE order_id = CAST(? AS uuid)", orderId);
    }

    private static long stock(String productId) throws Exception {
        return TestDatabase.count("SELECT stock_available FROM catalog.products WHERE id = CAST(? AS uuid)", productId);
    }

    private static String lines(Map<String, Integer> quantities) {
        List<String> lines = new ArrayList<>();
        quantities.forEach((product, quantity) -> lines.add("{\"product_id\":\"" + product + "\",\"quantity\":" + quantity + "}"));
        return "[" + String.join(",", lines) + "]";
    }

    private static String paymentAuthorized(String eventId, String orderId, Map<String, Integer> quantities) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"payment.authorized\",\"order_id\":\"" + orderId
                + "\",\"customer_id\":\"" + UUID.randomUUID() + "\",\"amount\":10.00,\"currency\":\"USD\",\"items\":"
                + lines(quantities) + "}";
    }
}
