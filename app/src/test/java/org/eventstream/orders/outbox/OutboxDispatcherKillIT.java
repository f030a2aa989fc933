package org.eventstream.orders.outbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestBroker;
import org.eventstream.orders.support.TestDatabase;
import org.eventstream.orders.support.TestOutbox;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A dispatcher killed with SIGKILL in the middle of a batch, run as the shipped jar in a process of its own: the batch
 * it had published but not yet marked is rolled back by PostgreSQL when the process's connections drop, and the next
 * dispatcher publishes those rows again. None is lost.
 * <p>
 * To make "mid-batch" certain rather than likely, a test trigger holds each marking statement for half a second, so
 * every batch spends that long published-and-confirmed but uncommitted; the test kills the process when the consumer
 * has received more events than the table shows as published, i.e. inside that window.
 */
class OutboxDispatcherKillIT {

    private static final String CAPTURE = "outbox-kill-it.capture";
    private static final String TOPOLOGY = "outbox-kill-it:never.sent";

    @Test
    void aDispatcherKilledMidBatchLosesNothingAndItsBatchIsPublishedAgain() throws Exception {
        RunningBundles.start(TestOutbox.dispatcherSettings(), "outbox-dispatcher").close(); // migrates the test database
        TestOutbox.empty();
        TestOutbox.insertSequences("killed", 250, 20);
        TestDatabase.execute("""
                CREATE OR REPLACE FUNCTION messaging.test_slow_mark() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_sleep(0.5); RETURN NULL; END $$;
                CREATE TRIGGER test_slow_mark BEFORE UPDATE ON messaging.outbox
                    FOR EACH STATEMENT EXECUTE FUNCTION messaging.test_slow_mark();
                """);
        Process process = null;
        try (TestBroker broker = TestBroker.connect(); TestBroker.Capture capture = broker.capture(CAPTURE, "it.#")) {
            process = startDispatcherProcess();
            Process running = process;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!running.isAlive()) {
                    throw new IllegalStateException("the dispatcher process exited with " + running.exitValue());
                }
                int received = capture.size();
                return received > 0 && received > TestOutbox.published();
            });
            process.destroyForcibly().waitFor();
            dropSlowMark();

            Set<String> unpublished = new HashSet<>(unpublishedIds());
            Set<String> inFlight = new HashSet<>(OutboxRelayIT.distinctIds(capture.deliveries()));
            inFlight.retainAll(unpublished);
            assertThat(inFlight).as("events published by the killed dispatcher but not marked").isNotEmpty();

            try (RunningBundles next = RunningBundles.start(TestOutbox.dispatcherSettings(), "outbox-dispatcher")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> TestOutbox.unpublished() == 0);
                Set<String> expected = new HashSet<>(TestOutbox.eventIds());
                await().atMost(Duration.ofSeconds(10)).until(() -> OutboxRelayIT.distinctIds(capture.deliveries()).containsAll(expected));
            }
            Map<String, Integer> deliveries = new HashMap<>();
            capture.deliveries().forEach(d -> deliveries.merge(d.messageId(), 1, Integer::sum));
            inFlight.forEach(id -> assertThat(deliveries.get(id)).as("deliveries of in-flight event %s", id).isGreaterThanOrEqualTo(2));
            OutboxRelayIT.assertInOrderPerAggregate(capture.deliveries());
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            dropSlowMark();
            try (TestBroker broker = TestBroker.connect()) {
                broker.deleteQueues(List.of("outbox-kill-it.never.sent", "outbox-kill-it.never.sent.dlq"));
            }
        }
    }

    private static void dropSlowMark() throws Exception {
        TestDatabase.execute("DROP TRIGGER IF EXISTS test_slow_mark ON messaging.outbox; DROP FUNCTION IF EXISTS messaging.test_slow_mark()");
    }

    private static List<String> unpublishedIds() throws Exception {
        try (var connection = TestDatabase.connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT event_id::text FROM messaging.outbox WHERE published_at IS NULL")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    private static Process startDispatcherProcess() throws Exception {
        String jar = System.getProperty("app.jar", "app/target/event-stream-orders.jar");
        assertThat(new File(jar)).as("the shaded jar (run by failsafe after package)").exists();
        Path log = Path.of("app/target/outbox-dispatcher-killed.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar, "outbox-dispatcher")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.putAll(TestServers.environment(TestServers.freePort()));
        env.put("RABBITMQ_QUEUE_TYPE", "classic");
        env.put("OUTBOX_TOPOLOGY_QUEUES", TOPOLOGY);
        env.put("OUTBOX_RETENTION_SECONDS", "3600");
        return builder.start();
    }
}
