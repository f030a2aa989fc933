package org.eventstream.orders.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Rows in {@code messaging.outbox} as the bundles write them, and the dispatcher settings the tests share.
 */
public final class TestOutbox {

    /** Event type of the tests' rows; the capture queues bind {@code it.#}. */
    public static final String EVENT_TYPE = "it.happened";

    private TestOutbox() {
    }

    /** A dispatcher on classic queues with no consumer queues of its own: the tests bind what they capture with. */
    public static Map<String, String> dispatcherSettings(String... extra) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("rabbitmq.queue-type", "classic");
        settings.put("outbox.topology.queues", "");
        settings.put("outbox.retention-seconds", "3600");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            settings.put(extra[i], extra[i + 1]);
        }
        return settings;
    }

    public static void empty() throws SQLException {
        TestDatabase.execute("TRUNCATE messaging.outbox RESTART IDENTITY");
    }

    /**
     * {@code aggregates} aggregates with {@code eventsEach} events each, in one statement: event {@code seq} of
     * aggregate {@code agg-<n>} has a lower id than its event {@code seq + 1}, aggregates interleaved.
     */
    public static void insertSequences(String prefix, int aggregates, int eventsEach) throws SQLException {
        TestDatabase.execute("""
                INSERT INTO messaging.outbox (event_id, aggregate_type, aggregate_id, event_type, payload, headers)
                SELECT gen_random_uuid(), 'it', '%1$s-' || a, '%2$s',
                       jsonb_build_object('aggregate', '%1$s-' || a, 'seq', s),
                       jsonb_build_object('traceparent', '00-' || md5('%1$s' || a) || '-00f067aa0ba902b7-01')
                FROM generate_series(1, %4$d) s, generate_series(1, %3$d) a
                ORDER BY s, a
                """.formatted(prefix, EVENT_TYPE, aggregates, eventsEach));
    }

    /** One event per transaction, as a bundle writes them. */
    public static String insert(Connection connection, String eventType, String aggregateId, int seq) throws SQLException {
        String eventId = UUID.randomUUID().toString();
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO messaging.outbox (event_id, aggregate_type, aggregate_id, event_type, payload, headers)
                VALUES (?::uuid, 'it', ?, ?, jsonb_build_object('aggregate', ?::text, 'seq', ?::int), '{}'::jsonb)
                """)) {
            insert.setString(1, eventId);
            insert.setString(2, aggregateId);
            insert.setString(3, eventType);
            insert.setString(4, aggregateId);
            insert.setInt(5, seq);
            insert.executeUpdate();
        }
        return eventId;
    }

    public static long unpublished() throws SQLException {
        return TestDatabase.count("SELECT count(*) FROM messaging.outbox WHERE published_at IS NULL");
    }

    public static long published() throws SQLException {
        return TestDatabase.count("SELECT count(*) FROM messaging.outbox WHERE published_at IS NOT NULL");
    }

    public static List<String> eventIds() throws SQLException {
        try (Connection connection = TestDatabase.connect(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT event_id::text FROM messaging.outbox ORDER BY id")) {
            List<String> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }

    public static MeterRegistry meters(RunningBundles bundles) {
        return bundles.runtime().context().getRegistry().lookupByNameAndType("metricsRegistry", MeterRegistry.class);
    }

    public static double publishedCount(RunningBundles bundles) {
        return meters(bundles).get("outbox.published").counter().count();
    }
}
