package org.eventstream.orders.outbox;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestBroker;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestOutbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The outbox-dispatcher bundle against the real PostgreSQL and RabbitMQ: what it publishes, in which order, with how
 * many instances, and what it does with rows nobody can receive. A capture queue of the test's own, bound to
 * {@code it.#} on the {@code events} exchange, stands for the consumers.
 */
class OutboxRelayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestBroker broker;
    private TestBroker.Capture capture;
    private final List<RunningBundles> dispatchers = new ArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        RunningBundles.start(TestOutbox.dispatcherSettings(), "outbox-dispatcher").close(); // migrates the test database
        broker = TestBroker.connect();
    }

    @AfterAll
    static void disconnect() throws Exception {
        broker.close();
    }

    @BeforeEach
    void emptyOutbox() throws Exception {
        TestOutbox.empty();
        capture = broker.capture("outbox-relay-it.capture", "it.#");
    }

    @AfterEach
    void stopDispatchers() throws Exception {
        for (RunningBundles dispatcher : dispatchers) {
            dispatcher.close();
        }
        capture.close();
    }

    private RunningBundles dispatcher(String... settings) throws Exception {
        RunningBundles dispatcher = RunningBundles.start(TestOutbox.dispatcherSettings(settings), "outbox-dispatcher");
        dispatchers.add(dispatcher);
        return dispatcher;
    }

    @Test
    void publishesEachRowAsAPersistentJsonMessageWithTraceAndCloudEventsHeadersThenMarksItPublished() throws Exception {
        TestOutbox.insertSequences("agg", 3, 2);
        String firstEventId = TestOutbox.eventIds().get(0);
        RunningBundles dispatcher = dispatcher();

        await().atMost(Duration.ofSeconds(15)).until(() -> capture.size() >= 6);
        await().atMost(Duration.ofSeconds(5)).until(() -> TestOutbox.published() == 6);

        TestBroker.Delivery first = capture.deliveries().stream().filter(d -> d.messageId().equals(firstEventId)).findFirst().orElseThrow();
        assertThat(first.routingKey()).isEqualTo(TestOutbox.EVENT_TYPE);
        assertThat(first.properties().getDeliveryMode()).isEqualTo(2);
        assertThat(first.properties().getContentType()).isEqualTo("application/json");
        assertThat(first.properties().getType()).isEqualTo(TestOutbox.EVENT_TYPE);
        // the relay's publish span is a child of the row's context: same trace, its own span id
        String rowTraceparent = TestDatabase.text("SELECT headers->>'traceparent' FROM messaging.outbox WHERE event_id = ?::uuid", firstEventId);
        assertThat(first.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01")
                .startsWith(rowTraceparent.substring(0, 36)).isNotEqualTo(rowTraceparent);
        assertThat(first.header("ce_id")).isEqualTo(firstEventId);
        assertThat(first.header("ce_type")).isEqualTo(TestOutbox.EVENT_TYPE);
        assertThat(first.header("ce_source")).isEqualTo("/event-stream-orders/it");
        assertThat(first.header("ce_specversion")).isEqualTo("1.0");
        assertThat(Instant.parse(first.header("ce_time"))).isBefore(Instant.now());
        assertThat(JSON.readTree(first.body()).get("seq").asInt()).isEqualTo(1);
        assertThat(capture.deliveries()).extracting(TestBroker.Delivery::messageId).containsExactlyInAnyOrderElementsOf(TestOutbox.eventIds());
        assertInOrderPerAggregate(capture.deliveries());

        MeterRegistry meters = TestOutbox.meters(dispatcher);
        assertThat(meters.get("outbox.published").counter().count()).isEqualTo(6);
        assertThat(meters.get("outbox.batch.size").summary().totalAmount()).isEqualTo(6);
        assertThat(meters.get("outbox.confirm.latency").timer().count()).isPositive();
    }

    @Test
    void declaresItsTopologyAtStartUpBeforeAnyEventIsWritten() throws Exception {
        List<String> queues = List.of("outbox-startup-it.order.created", "outbox-startup-it.order.created.dlq");
        try {
            dispatcher("outbox.topology.queues", "outbox-startup-it:order.created");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
                try (var channel = broker.channel()) {
                    for (String queue : queues) {
                        channel.queueDeclarePassive(queue);
                    }
                }
            });
        } finally {
            stopDispatchers();
            dispatchers.clear();
            broker.deleteQueues(queues);
        }
    }

    /** With a poll of a minute, three inserts each arrive within 2 s: the NOTIFY woke the relay. */
    @Test
    void wakesUpOnTheInsertsNotificationRatherThanThePoll() throws Exception {
        dispatcher("outbox.poll-interval-ms", "60000");
        Thread.sleep(1000); // the first pass has found nothing and sleeps in LISTEN

        try (Connection connection = TestDatabase.connect()) {
            for (int seq = 1; seq <= 3; seq++) {
                String eventId = TestOutbox.insert(connection, TestOutbox.EVENT_TYPE, "agg-notify", seq);
                int expected = seq;
                await().atMost(Duration.ofSeconds(2)).until(() -> capture.size() == expected);
                assertThat(capture.deliveries().get(seq - 1).messageId()).isEqualTo(eventId);
                Thread.sleep(300);
            }
        }
    }

    /**
     * Two dispatcher instances over 10,000 rows: half written before they start, half while they run by writers that,
     * like the bundles, write one aggregate's events one transaction after the other. Every event reaches the
     * consumer queue at least once, and each aggregate's events arrive in the order they were written.
     */
    @Test
    void twoDispatchersDeliverEveryOneOf10000EventsKeepingEachAggregatesOrder() throws Exception {
        TestOutbox.insertSequences("before", 250, 20);
        RunningBundles first = dispatcher("outbox.batch-size", "100", "outbox.workers", "2");
        RunningBundles second = dispatcher("outbox.batch-size", "100");

        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> writing = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writing.add(writers.submit(() -> {
                try (Connection connection = TestDatabase.connect()) {
                    for (int seq = 1; seq <= 50; seq++) {
                        for (int a = 0; a < 25; a++) {
                            TestOutbox.insert(connection, TestOutbox.EVENT_TYPE, "during-" + writer + "-" + a, seq);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> done : writing) {
            done.get();
        }
        writers.shutdown();

        await().atMost(Duration.ofSeconds(60)).until(() -> TestOutbox.unpublished() == 0);
        Set<String> expected = new HashSet<>(TestOutbox.eventIds());
        assertThat(expected).hasSize(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> distinctIds(capture.deliveries()).containsAll(expected));

        assertInOrderPerAggregate(capture.deliveries());
        double byFirst = TestOutbox.publishedCount(first);
        double bySecond = TestOutbox.publishedCount(second);
        System.out.printf("two dispatchers: %.0f + %.0f published, %d delivered%n", byFirst, bySecond, capture.size());
        assertThat(byFirst + bySecond).isGreaterThanOrEqualTo(10_000);
        assertThat(byFirst).as("published by the first instance").isPositive();
        assertThat(bySecond).as("published by the second instance").isPositive();
    }

    /**
     * The unroutable event fails its batch: it stays unpublished, and so does the next event of its aggregate although
     * the broker routed that one (it is delivered again with the batch, at-least-once).
     */
    @Test
    void anUnroutableEventFailsItsBatchWhichStaysUnpublishedUntilAQueueIsBound() throws Exception {
        String unroutable;
        String routable;
        try (Connection connection = TestDatabase.connect()) {
            unroutable = TestOutbox.insert(connection, "nobody.listens", "agg-1", 1);
            routable = TestOutbox.insert(connection, TestOutbox.EVENT_TYPE, "agg-1", 2);
        }
        RunningBundles dispatcher = dispatcher("outbox.metrics.interval-ms", "100", "outbox.backoff.max-ms", "500");
        MeterRegistry meters = TestOutbox.meters(dispatcher);

        await().atMost(Duration.ofSeconds(10)).until(() -> meters.get("outbox.relay.failures").counter().count() >= 3);
        assertThat(TestOutbox.unpublished()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(meters.get("outbox.backlog").gauge().value()).isEqualTo(2);
            assertThat(meters.get("outbox.oldest.age").gauge().value()).isPositive();
        });

        try (var channel = broker.channel()) {
            channel.queueBind("outbox-relay-it.capture", TestBroker.EVENTS, "nobody.listens");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> TestOutbox.unpublished() == 0);
        // confirmed and marked published: the capture's consumer receives the messages a moment later
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(distinctIds(capture.deliveries())).contains(unroutable, routable));
        await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("outbox.backlog").gauge().value() == 0);
    }

    /**
     * The broker goes away mid-run, for real, for this dispatcher only: it connects as a user of the test's own, whose
     * rights on the test vhost are revoked ({@code rabbitmqctl clear_permissions}, so reconnecting is refused) and whose
     * connections are closed ({@code rabbitmqctl close_connection}). Other clients of the broker are not touched.
     * Rights come back after a few seconds; the dispatcher, backing off meanwhile, resumes by itself.
     */
    @Test
    void resumesByItselfAfterTheBrokerWasUnreachableMidRun() throws Exception {
        assumeTrue(TestBroker.rabbitmqctlAvailable(), "rabbitmqctl is needed to cut the dispatcher off");
        String user = "outbox-outage-it";
        TestBroker.createUser(user, "outage");
        try {
            TestOutbox.insertSequences("before", 100, 30);
            RunningBundles dispatcher = dispatcher("rabbitmq.user", user, "rabbitmq.password", "outage", "outbox.batch-size", "50",
                    "outbox.backoff.max-ms", "1000");
            await().atMost(Duration.ofSeconds(15)).until(() -> TestOutbox.published() > 0);

            TestBroker.revokeAccess(user);
            assertThat(TestBroker.closeConnectionsOf(user, "outage test")).isPositive();
            long publishedAtCut = TestOutbox.published();
            TestOutbox.insertSequences("during", 100, 10);
            Thread.sleep(3000);
            assertThat(TestOutbox.published()).isEqualTo(publishedAtCut);
            assertThat(TestOutbox.meters(dispatcher).get("outbox.relay.failures").counter().count()).isPositive();

            TestBroker.grantAccess(user);
            await().atMost(Duration.ofSeconds(30)).until(() -> TestOutbox.unpublished() == 0);
            Set<String> expected = new HashSet<>(TestOutbox.eventIds());
            await().atMost(Duration.ofSeconds(10)).until(() -> distinctIds(capture.deliveries()).containsAll(expected));
            assertInOrderPerAggregate(capture.deliveries());
        } finally {
            stopDispatchers();
            dispatchers.clear();
            TestBroker.deleteUser(user);
        }
    }

    /** PostgreSQL drops every connection of the dispatcher mid-run (pool and LISTEN alike); it reconnects by itself. */
    @Test
    void resumesByItselfAfterItsDatabaseConnectionsWereKilled() throws Exception {
        TestOutbox.insertSequences("before", 100, 30);
        dispatcher("outbox.batch-size", "50", "outbox.backoff.max-ms", "1000");
        await().atMost(Duration.ofSeconds(15)).until(() -> TestOutbox.published() > 0);

        long killed = TestDatabase.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND pid <> pg_backend_pid()");
        assertThat(killed).isPositive();
        TestOutbox.insertSequences("after", 100, 5);

        await().atMost(Duration.ofSeconds(30)).until(() -> TestOutbox.unpublished() == 0);
        Set<String> expected = new HashSet<>(TestOutbox.eventIds());
        await().atMost(Duration.ofSeconds(10)).until(() -> distinctIds(capture.deliveries()).containsAll(expected));
        assertInOrderPerAggregate(capture.deliveries());
    }

    @Test
    void deletesPublishedRowsOnceTheyAreOlderThanTheRetention() throws Exception {
        TestOutbox.insertSequences("kept", 10, 10);
        dispatcher("outbox.retention-seconds", "2", "outbox.retention.interval-ms", "200", "outbox.retention.batch-size", "30");

        await().atMost(Duration.ofSeconds(10)).until(() -> capture.size() >= 100);
        assertThat(TestDatabase.count("SELECT count(*) FROM messaging.outbox")).isEqualTo(100);
        await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count("SELECT count(*) FROM messaging.outbox") == 0);
    }

    @Test
    void deletesRowsAsItPublishesThemWithARetentionOfZero() throws Exception {
        TestOutbox.insertSequences("gone", 10, 10);
        dispatcher("outbox.retention-seconds", "0");

        await().atMost(Duration.ofSeconds(10)).until(() -> capture.size() >= 100);
        await().atMost(Duration.ofSeconds(5)).until(() -> TestDatabase.count("SELECT count(*) FROM messaging.outbox") == 0);
    }

    @Test
    void vacuumsTheOutboxSoItsDeletedRowsDoNotPileUp() throws Exception {
        long vacuumsBefore = vacuums();
        TestOutbox.insertSequences("vacuumed", 10, 10);
        dispatcher("outbox.retention-seconds", "0", "outbox.vacuum.interval-ms", "300");

        await().atMost(Duration.ofSeconds(10)).until(() -> capture.size() >= 100);
        await().atMost(Duration.ofSeconds(10)).until(() -> vacuums() > vacuumsBefore
                && TestDatabase.count("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = 'messaging.outbox'::regclass") == 0);
    }

    @Test
    void leavesTheOutboxToAutovacuumWithAVacuumIntervalOfZero() throws Exception {
        long vacuumsBefore = vacuums();
        TestOutbox.insertSequences("left", 10, 10);
        dispatcher("outbox.retention-seconds", "0", "outbox.vacuum.interval-ms", "0");

        await().atMost(Duration.ofSeconds(10)).until(() -> capture.size() >= 100);
        Thread.sleep(1500);  // the statistics are flushed at least once a second
        assertThat(vacuums()).isEqualTo(vacuumsBefore);
    }

    /** Manual vacuums of messaging.outbox so far (pg_stat_user_tables). */
    private static long vacuums() throws Exception {
        return TestDatabase.count("SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = 'messaging.outbox'::regclass");
    }

    static Set<String> distinctIds(List<TestBroker.Delivery> deliveries) {
        Set<String> ids = new HashSet<>();
        deliveries.forEach(delivery -> ids.add(delivery.messageId()));
        return ids;
    }

    /** Each aggregate's events, at their first delivery, came in the order of their seq (redeliveries may repeat). */
    static void assertInOrderPerAggregate(List<TestBroker.Delivery> deliveries) throws Exception {
        Map<String, Integer> lastSeq = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (TestBroker.Delivery delivery : deliveries) {
            if (!seen.add(delivery.messageId())) {
                continue;
            }
            var body = JSON.readTree(delivery.body());
            String aggregate = body.get("aggregate").asText();
            int seq = body.get("seq").asInt();
            int previous = lastSeq.getOrDefault(aggregate, 0);
            assertThat(seq).as("event %d of %s after event %d", seq, aggregate, previous).isEqualTo(previous + 1);
            lastSeq.put(aggregate, seq);
        }
    }
}
