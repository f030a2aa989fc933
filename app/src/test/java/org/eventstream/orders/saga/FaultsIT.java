package org.eventstream.orders.saga;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.micrometer.core.instrument.MeterRegistry;
import org.eventstream.orders.messaging.FaultInjection;
import org.eventstream.orders.observability.ConsumerMetrics;
import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.Http;
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
 * Retries and dead-lettering with fault injection on: payment fails a third of its deliveries at random, which
 * the retry recovers; a poison message is retried, then parked in its DLQ with the reason.
 */
class FaultsIT {

    private static RunningBundles bundles;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        TestServers.resetPipeline();
        bundles = RunningBundles.start(Map.of(
                "faults.enabled", "true",
                "faults.transient-rates", "payment=0.3",
                "consumer.backoff.initial-ms", "50"));
        http = bundles.http();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundles != null) {
            bundles.close();
        }
    }

    private static FaultInjection faults() {
        return bundles.runtime().context().getRegistry().lookupByNameAndType("faultInjection", FaultInjection.class);
    }

    @Test
    void transientFailuresAreRetriedAndEveryOrderCompletesOnce() throws Exception {
        Catalog catalog = new Catalog(http);
        String customer = catalog.customer("Transient", false);
        String product = catalog.product("T-1", "3.00", 1000);
        for (int i = 0; i < 40; i++) {
            assertThat(http.postJson("/orders", Catalog.order(customer, Map.of(product, 1))).status()).isEqualTo(201);
        }

        await().atMost(Duration.ofSeconds(90)).until(() ->
                TestDatabase.count("SELECT count(*) FROM orders.orders o JOIN catalog.customers c ON c.id = o.customer_id "
                        + "WHERE c.name = 'Transient' AND o.status = 'COMPLETED'") == 40);
        assertThat(faults().transientFailures()).isPositive();
        assertThat(TestDatabase.count("SELECT count(*) FROM payments.payments p JOIN orders.orders o ON o.id = p.order_id "
                + "JOIN catalog.customers c ON c.id = o.customer_id WHERE c.name = 'Transient'")).isEqualTo(40);
        assertThat(TestDatabase.count("SELECT stock_available FROM catalog.products WHERE sku = 'T-1'")).isEqualTo(960);
        assertThat(TestQueues.deadLettered()).isEmpty();
    }

    @Test
    void aPoisonMessageIsRetriedThenParkedInItsDlqWithTheReason() throws Exception {
        long before = faults().poisonFailures();
        String messageId = UUID.randomUUID().toString();
        String payload = "{\"event_id\":\"" + messageId + "\",\"event_type\":\"order.created\",\"order_id\":\"" + UUID.randomUUID()
                + "\",\"customer_id\":\"" + UUID.randomUUID() + "\",\"total_amount\":1.00,\"currency\":\"USD\",\"items\":[]}";
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(messageId).contentType("application/json")
                    .deliveryMode(2).headers(Map.of(FaultInjection.HEADER, FaultInjection.POISON)).build();
            // straight to payment's queue (default exchange): only payment sees it
            channel.basicPublish("", "payment.order.created", properties, payload.getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(30)).until(() -> channel.messageCount("payment.order.created.dlq") == 1);
            GetResponse parked = channel.basicGet("payment.order.created.dlq", true);

            assertThat(parked.getProps().getMessageId()).isEqualTo(messageId);
            Map<String, Object> headers = parked.getProps().getHeaders();
            assertThat(headers.get("x-exception-class").toString()).isEqualTo(FaultInjection.InjectedFailure.class.getName());
            assertThat(headers.get("x-exception-message").toString()).contains("poison");
            assertThat(headers.get("x-original-queue").toString()).isEqualTo("payment.order.created");
            assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).isEqualTo(payload);
        }
        // consumer.attempts deliveries in all: the first and three retries
        assertThat(faults().poisonFailures() - before).isEqualTo(4);
        assertThat(TestQueues.deadLettered()).isEmpty();
        // and so they count on GET /metrics (consumer_messages_total): every failed attempt, then the dead-lettering
        MeterRegistry meters = bundles.runtime().telemetry().meterRegistry();
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.find(ConsumerMetrics.MESSAGES)
                .tags("queue", "payment.order.created", "outcome", "dead_lettered").counter() != null);
        assertThat(meters.get(ConsumerMetrics.MESSAGES).tags("queue", "payment.order.created", "outcome", "dead_lettered")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get(ConsumerMetrics.MESSAGES).tags("queue", "payment.order.created", "outcome", "failed")
                .counter().count()).isGreaterThanOrEqualTo(4);
    }
}
