package org.eventstream.orders.orders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.RouteController;
import org.eventstream.orders.observability.OrderMetrics;
import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestBroker;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestQueues;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * orders-api's status consumers through the real servers, where their batches meet: two queues hold outcome events of
 * the same orders in opposite orders, and their consumers start together. Each batch holds the row locks of its orders
 * until it commits; taken in queue order, two such batches wait for each other and PostgreSQL breaks the deadlock by
 * rolling one back. In the order of their subjects (the order ids) they lock in one global order: every order moves,
 * and PostgreSQL counts no deadlock.
 */
class OrderLocksIT {

    private static final int ORDERS = 300;
    private static final List<String> ROUTES = List.of(
            "orders-api-consume-payment-authorized", "orders-api-consume-inventory-reserved");

    private static RunningBundles bundles;

    @BeforeAll
    static void start() throws Exception {
        TestServers.resetPipeline();
        bundles = RunningBundles.start(Map.of(), "orders-api");
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundles != null) {
            bundles.close();
        }
    }

    @Test
    void batchesOfTwoQueuesHoldingTheSameOrdersInOppositeOrdersDoNotDeadlock() throws Exception {
        String customer = new Catalog(bundles.http()).customer("Locks", false);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            orders.add(UUID.randomUUID().toString());
        }
        TestDatabase.execute("INSERT INTO orders.orders (id, customer_id, status, total_amount, currency) "
                + "SELECT id, '" + customer + "', 'PENDING', 10.00, 'USD' FROM unnest(ARRAY['" + String.join("','", orders)
                + "']::uuid[]) AS id");
        RouteController routes = bundles.runtime().context().getRouteController();
        for (String route : ROUTES) {
            routes.stopRoute(route);
        }
        Collections.sort(orders);
        List<String> descending = new ArrayList<>(orders);
        Collections.reverse(descending);
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            channel.confirmSelect();
            for (int i = 0; i < ORDERS; i++) {
                send(channel, "payment.authorized", orders.get(i));
                send(channel, "inventory.reserved", descending.get(i));
            }
            channel.waitForConfirmsOrDie(30_000);
        }
        long deadlocksBefore = deadlocks();

        for (String route : ROUTES) {
            routes.startRoute(route);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count("SELECT count(*) FROM orders.order_events e "
                + "JOIN orders.orders o ON o.id = e.order_id WHERE o.customer_id = ?::uuid", customer) == 2L * ORDERS);
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders WHERE customer_id = ?::uuid AND status = 'RESERVED'", customer))
                .isEqualTo(ORDERS);
        assertThat(TestQueues.deadLettered()).isEmpty();
        // a backend reports its counts to the statistics within a second of going idle
        Thread.sleep(1500);
        assertThat(deadlocks()).as("deadlocks PostgreSQL detected").isEqualTo(deadlocksBefore);
    }

    /**
     * A batch's status changes run as one statement (BatchStatement) holding at most one event per order: a duplicate
     * delivery of an event and a second event of the same order in the same batch run after the first one, as they
     * would on their own. Every order moves once; each event goes on the timeline once, with the status it left.
     */
    @Test
    void aBatchMovesEachOrderOnceAndRunsAnotherEventOfTheSameOrderAfterTheFirst() throws Exception {
        String customer = new Catalog(bundles.http()).customer("Batch", false);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            orders.add(UUID.randomUUID().toString());
        }
        TestDatabase.execute("INSERT INTO orders.orders (id, customer_id, status, total_amount, currency) "
                + "SELECT id, '" + customer + "', 'PENDING', 10.00, 'USD' FROM unnest(ARRAY['" + String.join("','", orders)
                + "']::uuid[]) AS id");
        MeterRegistry meters = bundles.runtime().telemetry().meterRegistry();
        double paidBefore = paid(meters);
        RouteController routes = bundles.runtime().context().getRouteController();
        routes.stopRoute(ROUTES.get(0));
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            channel.confirmSelect();
            send(channel, "payment.authorized", orders.get(0), first);
            for (String order : orders.subList(1, orders.size())) {
                send(channel, "payment.authorized", order);
            }
            send(channel, "payment.authorized", orders.get(0), first);
            send(channel, "payment.authorized", orders.get(0), second);
            channel.waitForConfirmsOrDie(30_000);
        }

        routes.startRoute(ROUTES.get(0));

        await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count("SELECT count(*) FROM orders.order_events e "
                + "JOIN orders.orders o ON o.id = e.order_id WHERE o.customer_id = ?::uuid", customer) == 21);
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.orders WHERE customer_id = ?::uuid AND status = 'PAID'", customer))
                .isEqualTo(20);
        assertThat(TestDatabase.text("SELECT string_agg(status, ',' ORDER BY id) FROM orders.order_events WHERE order_id = ?::uuid",
                orders.get(0))).as("both events of the first order, each once").isEqualTo("PAID,PAID");
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.order_events WHERE event_id = ?::uuid", second)).isEqualTo(1);
        // counted once the batch committed: every order entered PAID once, the repeat and the second event moved nothing
        await().atMost(Duration.ofSeconds(5)).until(() -> paid(meters) - paidBefore >= 20);
        Thread.sleep(200);
        assertThat(paid(meters) - paidBefore).isEqualTo(20);
        assertThat(TestQueues.deadLettered()).isEmpty();
    }

    private static double paid(MeterRegistry meters) {
        Counter counter = meters.find(OrderMetrics.ORDERS).tags("status", "PAID").counter();
        return counter == null ? 0 : counter.count();
    }

    private static void send(Channel channel, String type, String orderId) throws Exception {
        send(channel, type, orderId, UUID.randomUUID().toString());
    }

    private static void send(Channel channel, String type, String orderId, String eventId) throws Exception {
        String payload = "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"order_id\":\"" + orderId
                + "\",\"occurred_at\":\"2026-11-28T10:00:00Z\"}";
        channel.basicPublish("", "orders-api." + type, true, new AMQP.BasicProperties.Builder().messageId(eventId)
                .contentType("application/json").deliveryMode(2).headers(Map.of("ce_subject", orderId)).build(),
                payload.getBytes(StandardCharsets.UTF_8));
    }

    private static long deadlocks() throws Exception {
        return TestDatabase.count("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }
}
