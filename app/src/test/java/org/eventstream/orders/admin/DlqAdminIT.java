package org.eventstream.orders.admin;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.eventstream.orders.support.Catalog;
import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestQueues;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The DLQ admin API against the real broker: an event for an order orders-api does not know fails its retries
 * and is parked; the operator sees why, fixes the cause (the order is restored), replays it, and it is processed once.
 */
class DlqAdminIT {

    private static final String TOKEN = "test-admin-token";
    private static final String DLQ = "orders-api.payment.authorized.dlq";
    private static RunningBundles bundles;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        TestServers.resetPipeline();
        bundles = RunningBundles.start(Map.of("admin.token", TOKEN, "consumer.backoff.initial-ms", "50"), "orders-api");
        http = bundles.http();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundles != null) {
            bundles.close();
        }
    }

    private Http.Response admin(String method, String path) {
        HttpRequest.Builder request = http.method(method, path, null, null, "Authorization", "Bearer " + TOKEN);
        return http.send(request);
    }

    @Test
    void refusesWithoutTheToken() {
        Http.Response anonymous = http.get("/admin/dlq");
        Http.Response wrong = http.send(http.method("GET", "/admin/dlq", null, null, "Authorization", "Bearer nope"));

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).isEqualTo("application/problem+json");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(admin("GET", "/admin/dlq/not-a-queue").status()).isEqualTo(404);
        assertThat(admin("GET", "/admin/dlq/" + DLQ + "?limit=0").status()).isEqualTo(400);
    }

    @Test
    void aParkedMessageIsSeenReplayedAfterTheFixAndProcessedOnce() throws Exception {
        String customer = new Catalog(http).customer("Operator", false);
        String orderId = UUID.randomUUID().toString();
        String eventId = UUID.randomUUID().toString();
        String payload = "{\"event_id\":\"" + eventId + "\",\"event_type\":\"payment.authorized\",\"order_id\":\"" + orderId
                + "\",\"customer_id\":\"" + customer + "\",\"occurred_at\":\"2026-11-28T10:00:00Z\",\"status\":\"AUTHORIZED\"}";
        TestQueues.sendToQueue("orders-api.payment.authorized", eventId, payload);

        await().atMost(Duration.ofSeconds(30)).until(() -> depth(admin("GET", "/admin/dlq").json()) == 1);
        JsonNode peeked = admin("GET", "/admin/dlq/" + DLQ + "?limit=5").json();
        assertThat(peeked).hasSize(1);
        assertThat(peeked.get(0).get("message_id").asText()).isEqualTo(eventId);
        assertThat(peeked.get(0).get("original_queue").asText()).isEqualTo("orders-api.payment.authorized");
        assertThat(peeked.get(0).get("exception_message").asText()).contains("no order " + orderId);
        assertThat(depth(admin("GET", "/admin/dlq").json())).as("peeking takes nothing").isEqualTo(1);

        // the fix: the order is restored
        TestDatabase.execute("INSERT INTO orders.orders (id, customer_id, status, total_amount, currency) VALUES ('"
                + orderId + "', '" + customer + "', 'PENDING', 10.00, 'USD')");
        JsonNode replay = admin("POST", "/admin/dlq/" + DLQ + "/replay?message_id=" + eventId).json();
        assertThat(replay.get("replayed").asInt()).isEqualTo(1);
        assertThat(replay.get("remaining").asInt()).isZero();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                "PAID".equals(TestDatabase.text("SELECT status FROM orders.orders WHERE id = ?::uuid", orderId)));
        assertThat(TestDatabase.count("SELECT count(*) FROM orders.order_events WHERE event_id = ?::uuid", eventId)).isEqualTo(1);
        assertThat(admin("POST", "/admin/dlq/" + DLQ + "/replay").json().get("replayed").asInt()).isZero();
        assertThat(admin("DELETE", "/admin/dlq/" + DLQ).json().get("purged").asInt()).isZero();
        assertThat(TestQueues.deadLettered()).isEmpty();
    }

    private static long depth(JsonNode queues) {
        long depth = 0;
        for (JsonNode queue : queues) {
            if (queue.get("name").asText().equals(DLQ)) {
                depth = queue.get("depth").asLong();
            }
        }
        return depth;
    }
}
