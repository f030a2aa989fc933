package org.eventstream.orders.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.eventstream.orders.observability.ConsumerMetrics;
import org.eventstream.orders.sql.ArrayLiteral;
import org.eventstream.orders.support.ConsumerCounts;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestBroker;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestRedis;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Batched deliveries through the real servers: payment's consumer is stopped while 30 {@code order.created} events
 * queue up, one of them poison; started again, it takes them in batches. The batch holding the poison rolls back, and
 * every message of it is delivered again on its own: the 29 good ones commit exactly once (one payment, one outbox
 * event, one Redis key each, counted once as consumed), the poison one is tried {@code consumer.attempts} times in all
 * — its failed attempt in the batch included — and parked alone in the DLQ.
 */
class BatchedDeliveriesIT {

    private static final String QUEUE = "payment.order.created";
    private static final String ROUTE = "payment-consume-order-created";

    private static RunningBundles bundles;

    @BeforeAll
    static void start() throws Exception {
        TestServers.resetPipeline();
        bundles = RunningBundles.start(Map.of("faults.enabled", "true", "consumer.backoff.initial-ms", "50"), "payment");
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundles != null) {
            bundles.close();
        }
    }

    @Test
    void aBatchWithAPoisonMessageCommitsItsNeighboursOnceAndParksThePoisonAlone() throws Exception {
        CamelContext context = bundles.runtime().context();
        FaultInjection faults = context.getRegistry().lookupByNameAndType("faultInjection", FaultInjection.class);
        long poisonBefore = faults.poisonFailures();
        MeterRegistry meters = bundles.runtime().telemetry().meterRegistry();
        long batchesBefore = ConsumerCounts.batches(meters, QUEUE);
        double consumedBefore = ConsumerCounts.messages(meters, QUEUE, "consumed");
        double parkedBefore = ConsumerCounts.messages(meters, QUEUE, "dead_lettered");
        long paymentsBefore = TestDatabase.count("SELECT count(*) FROM payments.payments");
        context.getRouteController().stopRoute(ROUTE);

        List<String> goodEvents = new ArrayList<>();
        List<String> goodOrders = new ArrayList<>();
        String poisonEvent = UUID.randomUUID().toString();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            for (int i = 0; i < 30; i++) {
                boolean poison = i == 10;
                String eventId = poison ? poisonEvent : UUID.randomUUID().toString();
                String orderId = UUID.randomUUID().toString();
                if (!poison) {
                    goodEvents.add(eventId);
                    goodOrders.add(orderId);
                }
                AMQP.BasicProperties.Builder properties = new AMQP.BasicProperties.Builder().messageId(eventId)
                        .contentType("application/json").deliveryMode(2);
                if (poison) {
                    properties.headers(Map.of(FaultInjection.HEADER, FaultInjection.POISON));
                }
                channel.basicPublish("", QUEUE, properties.build(), orderCreated(eventId, orderId).getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(QUEUE) == 30);

            context.getRouteController().startRoute(ROUTE);

            await().atMost(Duration.ofSeconds(30)).until(() -> channel.messageCount(QUEUE + ".dlq") == 1
                    && TestDatabase.count("SELECT count(*) FROM payments.payments") == paymentsBefore + 29);
            assertThat(channel.basicGet(QUEUE + ".dlq", true).getProps().getMessageId()).isEqualTo(poisonEvent);
        }

        DistributionSummary batches = batches(meters);
        assertThat(batches.max()).as("largest batch").isGreaterThan(1);
        assertThat(batches.count() - batchesBefore).as("batches taken").isLessThan(30);

        // the poison message: consumer.attempts (4) attempts in all, the one in the batch the first of them
        assertThat(faults.poisonFailures() - poisonBefore).isEqualTo(4);
        for (String order : goodOrders) {
            assertThat(TestDatabase.count("SELECT count(*) FROM payments.payments WHERE order_id = CAST(? AS uuid)", order)).isEqualTo(1);
            assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox WHERE aggregate_id = ? AND event_type = 'payment.authorized'",
                    order)).isEqualTo(1);
        }
        try (Jedis redis = TestRedis.connect()) {
            for (String event : goodEvents) {
                assertThat(redis.exists("idempotency:payment:" + event)).as("key of %s", event).isTrue();
            }
            assertThat(redis.exists("idempotency:payment:" + poisonEvent)).isFalse();
        }
        assertThat(ConsumerCounts.messages(meters, QUEUE, "consumed") - consumedBefore).isEqualTo(29);
        assertThat(ConsumerCounts.messages(meters, QUEUE, "dead_lettered") - parkedBefore).isEqualTo(1);
    }

    private static DistributionSummary batches(MeterRegistry meters) {
        return meters.get(ConsumerMetrics.BATCH_SIZE).tags("queue", QUEUE).summary();
    }

    /** Messages of the queue counted with the outcome so far; 0 before the first. */
    /**
     * Payment writes its rows just before the commit (sql-deferred): a row that fails there fails the batch's commit, not
     * an exchange. The batch is then delivered message by message as well: the one whose row cannot be stored (a
     * four-letter currency in a char(3) column) fails at each of its own commits and is parked, its neighbours commit.
     */
    @Test
    void aRowThatFailsOnlyAtTheCommitIsParkedAloneAndItsNeighboursCommit() throws Exception {
        CamelContext context = bundles.runtime().context();
        context.getRouteController().stopRoute(ROUTE);
        long paymentsBefore = TestDatabase.count("SELECT count(*) FROM payments.payments");

        List<String> goodOrders = new ArrayList<>();
        String badEvent = UUID.randomUUID().toString();
        String badOrder = UUID.randomUUID().toString();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            channel.queuePurge(QUEUE + ".dlq");
            for (int i = 0; i < 12; i++) {
                boolean bad = i == 5;
                String eventId = bad ? badEvent : UUID.randomUUID().toString();
                String orderId = bad ? badOrder : UUID.randomUUID().toString();
                if (!bad) {
                    goodOrders.add(orderId);
                }
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(eventId)
                        .contentType("application/json").deliveryMode(2).build();
                String body = orderCreated(eventId, orderId, bad ? "EURO" : "USD");
                channel.basicPublish("", QUEUE, properties, body.getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(QUEUE) == 12);

            context.getRouteController().startRoute(ROUTE);

            await().atMost(Duration.ofSeconds(30)).until(() -> channel.messageCount(QUEUE + ".dlq") == 1
                    && TestDatabase.count("SELECT count(*) FROM payments.payments") == paymentsBefore + 11);
            AMQP.BasicProperties parked = channel.basicGet(QUEUE + ".dlq", true).getProps();
            assertThat(parked.getMessageId()).isEqualTo(badEvent);
            assertThat(String.valueOf(parked.getHeaders().get("x-exception-message"))).contains("too long");
        }
        for (String order : goodOrders) {
            assertThat(TestDatabase.count("SELECT count(*) FROM payments.payments WHERE order_id = CAST(? AS uuid)", order)).isEqualTo(1);
            assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox WHERE aggregate_id = ? AND event_type = 'payment.authorized'",
                    order)).isEqualTo(1);
        }
        assertThat(TestDatabase.count("SELECT count(*) FROM payments.payments WHERE order_id = CAST(? AS uuid)", badOrder)).isZero();
        assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox WHERE aggregate_id = ?", badOrder)).isZero();
    }

    /**
     * Payment reads the customers of a whole batch in one statement (BatchStatement): each order of the batch is decided on
     * its own customer's flag, blocked ones declined, the others authorized.
     */
    @Test
    void aBatchDecidesEachOrderOnItsOwnCustomer() throws Exception {
        CamelContext context = bundles.runtime().context();
        MeterRegistry meters = bundles.runtime().telemetry().meterRegistry();
        long batchesBefore = ConsumerCounts.batches(meters, QUEUE);
        context.getRouteController().stopRoute(ROUTE);
        String blocked = UUID.randomUUID().toString();
        String trusted = UUID.randomUUID().toString();
        TestDatabase.execute("INSERT INTO catalog.customers (id, name, email, payment_blocked) VALUES ('" + blocked
                + "', 'Blocked', '" + blocked + "@example.com', true), ('" + trusted + "', 'Trusted', '" + trusted
                + "@example.com', false)");

        Map<String, String> customerOf = new LinkedHashMap<>();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            for (int i = 0; i < 12; i++) {
                String eventId = UUID.randomUUID().toString();
                String orderId = UUID.randomUUID().toString();
                String customer = i % 3 == 0 ? blocked : trusted;
                customerOf.put(orderId, customer);
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(eventId)
                        .contentType("application/json").deliveryMode(2).build();
                channel.basicPublish("", QUEUE, properties, orderCreated(eventId, orderId, "USD", customer)
                        .getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> channel.messageCount(QUEUE) == 12);
            context.getRouteController().startRoute(ROUTE);
            await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
                    "SELECT count(*) FROM payments.payments WHERE order_id = ANY (CAST(? AS uuid[]))",
                    ArrayLiteral.of(customerOf.keySet())) == 12);
        }

        assertThat(batches(meters).count() - batchesBefore).as("batches taken for 12 messages").isLessThan(12);
        for (Map.Entry<String, String> order : customerOf.entrySet()) {
            String expected = order.getValue().equals(blocked) ? "DECLINED/customer_blocked" : "AUTHORIZED/-";
            assertThat(TestDatabase.text("SELECT status || '/' || coalesce(reason, '-') FROM payments.payments"
                    + " WHERE order_id = CAST(? AS uuid)", order.getKey())).as("payment of %s", order.getKey()).isEqualTo(expected);
        }
    }

    private static String orderCreated(String eventId, String orderId) {
        return orderCreated(eventId, orderId, "USD");
    }

    private static String orderCreated(String eventId, String orderId, String currency) {
        return orderCreated(eventId, orderId, currency, UUID.randomUUID().toString());
    }

    private static String orderCreated(String eventId, String orderId, String currency, String customerId) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"order.created\",\"order_id\":\"" + orderId
                + "\",\"customer_id\":\"" + customerId + "\",\"total_amount\":12.50,\"currency\":\"" + currency
                + "\",\"items\":[]}";
    }
}
