package org.eventstream.orders.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.eventstream.orders.BundleConfiguration;
import org.eventstream.orders.BundleSelection;

import static org.awaitility.Awaitility.await;

/**
 * The consumer queues of the event topology (routes/shared/application.properties, outbox.topology.queues) and
 * their dead-letter queues, as the tests inspect them.
 */
public final class TestQueues {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestQueues() {
    }

    /** Every consumer queue, {@code <bundle>.<event>}. */
    public static List<String> queues() {
        String spec = BundleConfiguration.load(BundleSelection.parse(), Path.of("routes").toAbsolutePath()).value("outbox.topology.queues");
        List<String> queues = new ArrayList<>();
        for (String entry : spec.split(",")) {
            queues.add(entry.trim().replace(':', '.'));
        }
        return queues;
    }

    /** Empties every consumer queue and dead-letter queue that exists (a missing one closes only its own channel). */
    public static void purgeAll() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            for (String queue : queues()) {
                for (String name : List.of(queue, queue + ".dlq")) {
                    Channel channel = broker.channel();
                    try {
                        channel.queuePurge(name);
                        channel.close();
                    } catch (java.io.IOException missing) {
                        // not declared yet: nothing to purge
                    }
                }
            }
        }
    }

    /** The dead-letter queues holding messages, with their depth. */
    public static Map<String, Long> deadLettered() throws Exception {
        Map<String, Long> depths = new LinkedHashMap<>();
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            for (String queue : queues()) {
                long depth = channel.messageCount(queue + ".dlq");
                if (depth > 0) {
                    depths.put(queue + ".dlq", depth);
                }
            }
        }
        return depths;
    }

    /** Waits until no consumer queue holds a message (ready or unacked) for a second and a half. */
    public static void awaitDrained() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(new java.util.concurrent.Callable<>() {
            private long quietSince = -1;

            @Override
            public Boolean call() throws Exception {
                boolean empty = true;
                try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
                    for (String queue : queues()) {
                        AMQP.Queue.DeclareOk state = channel.queueDeclarePassive(queue);
                        // a message being processed is unacked and not counted: require quiet for a while
                        empty &= state.getMessageCount() == 0;
                    }
                }
                long now = System.nanoTime();
                if (!empty) {
                    quietSince = -1;
                    return false;
                }
                if (quietSince < 0) {
                    quietSince = now;
                }
                return now - quietSince > Duration.ofMillis(1500).toNanos();
            }
        });
    }

    /** Publishes every event of the outbox again, {@code times} times, as the relay would after a crash. */
    public static int republishOutbox(int times) throws Exception {
        return publish(outboxEvents(), times);
    }

    /** The outbox's rows as events to publish: event id, type, payload, headers. */
    public static List<Object[]> outboxEvents() throws Exception {
        List<Object[]> events = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT event_id::text, event_type, payload::text, headers::text FROM messaging.outbox ORDER BY id")) {
            while (rs.next()) {
                events.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        return events;
    }

    /** Publishes the events as the relay would, {@code times} rounds of all of them, and waits for the confirms. */
    public static int publish(List<Object[]> events, int times) throws Exception {
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            channel.confirmSelect();
            for (int round = 0; round < times; round++) {
                for (Object[] event : events) {
                    JsonNode headers = MAPPER.readTree((String) event[3]);
                    Map<String, Object> amqpHeaders = new LinkedHashMap<>();
                    headers.fields().forEachRemaining(field -> amqpHeaders.put(field.getKey(), field.getValue().asText()));
                    AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                            .messageId((String) event[0]).contentType("application/json").deliveryMode(2).headers(amqpHeaders).build();
                    channel.basicPublish("events", (String) event[1], true, properties, ((String) event[2]).getBytes(StandardCharsets.UTF_8));
                }
            }
            channel.waitForConfirmsOrDie(30_000);
        }
        return events.size() * times;
    }

    /** Sends one event straight into one queue (the default exchange), as the relay would with that message id. */
    public static void sendToQueue(String queue, String messageId, String payload) throws Exception {
        try (TestBroker broker = TestBroker.connect(); Channel channel = broker.channel()) {
            channel.confirmSelect();
            channel.basicPublish("", queue, true, new AMQP.BasicProperties.Builder().messageId(messageId)
                    .contentType("application/json").deliveryMode(2).build(), payload.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(30_000);
        }
    }
}
