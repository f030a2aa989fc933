package org.eventstream.orders.outbox;

import java.io.IOException;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import io.opentelemetry.api.OpenTelemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;

/**
 * Relays {@code messaging.outbox} to the {@code events} exchange, batch by batch. One batch is one transaction:
 * lock the worker's partitions, claim up to {@code batchSize} unpublished rows of them in id order
 * ({@code FOR UPDATE SKIP LOCKED}), publish them all as persistent, mandatory messages, wait once for the broker's
 * confirms, then mark them published in one statement and commit. A nack, a confirm timeout, an unroutable event, or
 * any broker or database failure rolls the transaction back: the rows stay unpublished for the next pass
 * (at-least-once; consumers are idempotent). The YAML route calls {@link #awaitWork()} then {@link #drain()} in a
 * loop, and backs off when {@code drain} fails. Each published event is a span of its order's trace (see
 * {@link PublishTracing}).
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STOP_CHECK_MS = 250;
    /**
     * A batch's claim, in one round trip: try-lock the worker's partitions (another instance may be relaying some of
     * them), then lock up to the batch size of the unpublished rows of the partitions now held, in id order. A row
     * that a previous holder published after this statement's snapshot was taken is re-checked on locking and left
     * out. The claiming transaction does not wait for its commit's WAL flush: a marking commit lost in a PostgreSQL
     * crash only means its rows are published again (at-least-once).
     */
    private static final String CLAIM = "WITH async_commit AS (SELECT set_config('synchronous_commit', 'off', true)),"
            + " held AS (" + OutboxPartitions.LOCK_PARTITIONS + ")"
            + " SELECT id, event_id::text, aggregate_type, aggregate_id, event_type, payload::text, headers::text, created_at"
            + " FROM messaging.outbox WHERE published_at IS NULL AND EXISTS (SELECT FROM async_commit)"
            + " AND " + OutboxPartitions.PARTITION_OF_ROW + " = ANY (ARRAY(SELECT p FROM held))"
            + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String MARK_PUBLISHED = "UPDATE messaging.outbox SET published_at = clock_timestamp() WHERE id = ANY (?)";
    private static final String DELETE_PUBLISHED = "DELETE FROM messaging.outbox WHERE id = ANY (?)";

    private final DataSource dataSource;
    private final ConnectionFactory amqp;
    private final EventTopology topology;
    private final OutboxMetrics metrics;
    private final OutboxListener listener;
    private final PublishTracing tracing;

    private int batchSize = 500;
    private long pollIntervalMs = 250;
    private long maxPassMs = 1000;
    private int partitions = 8;
    private int workerCount = 1;
    private long confirmTimeoutMs = 5000;
    private boolean deleteOnPublish;
    private String connectionName = "event-stream-orders:outbox-dispatcher:relay";

    private List<Worker> workers;
    private ExecutorService workerThreads;
    // guards the connection only: drain() holds the relay's monitor while the workers open channels
    private final Object connectionLock = new Object();
    private Connection connection;
    private volatile boolean morePending = true;
    private volatile boolean closed;

    public OutboxRelay(DataSource dataSource, AbstractConnectionFactory rabbitConnectionFactory, EventTopology topology,
                       OutboxMetrics metrics, OpenTelemetry openTelemetry) {
        this.dataSource = dataSource;
        this.topology = topology;
        this.metrics = metrics;
        this.tracing = new PublishTracing(openTelemetry);
        this.amqp = relayConnectionFactory(rabbitConnectionFactory.getRabbitConnectionFactory());
        this.listener = dataSource instanceof HikariDataSource hikari
                ? new OutboxListener(hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword())
                : null;
    }

    /** A connection factory of the relay's own, with the shared settings, short timeouts and no automatic recovery. */
    private static ConnectionFactory relayConnectionFactory(ConnectionFactory shared) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(shared.getHost());
        factory.setPort(shared.getPort());
        factory.setUsername(shared.getUsername());
        factory.setPassword(shared.getPassword());
        factory.setVirtualHost(shared.getVirtualHost());
        factory.setConnectionTimeout(5000);
        factory.setHandshakeTimeout(5000);
        factory.setRequestedHeartbeat(10);
        // the relay reconnects by itself, between batches, where it knows no batch is half-published
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        return factory;
    }

    /**
     * Blocks until there may be work: returns at once while the last pass stopped on a full batch, else on the next
     * outbox notification or after the poll interval, whichever comes first — or as soon as Camel is stopping.
     */
    public void awaitWork(CamelContext camel) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(pollIntervalMs).toNanos();
        while (!morePending && !closed && !camel.isStopping()) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                return;
            }
            // in slices, so that a long poll interval never holds up a stopping context
            long slice = Math.min(left, STOP_CHECK_MS);
            if (listener == null) {
                Thread.sleep(slice);
            } else if (listener.await(slice)) {
                return;
            }
        }
    }

    /**
     * Relays batches until one comes back short (or the pass has run {@code maxPassMs}, so a stopping route is not
     * held up). Throws on the first failed batch, after rolling it back.
     *
     * @return the rows published in this pass
     */
    public synchronized int drain() throws Exception {
        if (closed) {
            return 0;
        }
        morePending = true;
        long deadline = System.nanoTime() + Duration.ofMillis(maxPassMs).toNanos();
        List<Worker> all = workers();
        // connected, and the topology declared, before any row is read: at start-up and after every broker outage
        try {
            connection();
        } catch (IOException | TimeoutException | RuntimeException e) {
            metrics.failure();
            throw e;
        }
        int published = 0;
        boolean full = false;
        if (all.size() == 1) {
            published = all.get(0).drainUntil(deadline);
            full = all.get(0).lastBatchFull;
        } else {
            List<Future<Integer>> passes = new ArrayList<>();
            all.forEach(worker -> passes.add(workerThreads.submit(() -> worker.drainUntil(deadline))));
            Exception failure = null;
            for (Future<Integer> pass : passes) {
                try {
                    published += pass.get();
                } catch (ExecutionException e) {
                    failure = failure == null && e.getCause() instanceof Exception cause ? cause : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
            full = all.stream().anyMatch(worker -> worker.lastBatchFull);
        }
        morePending = full;
        return published;
    }

    private List<Worker> workers() {
        if (workers == null) {
            OutboxPartitions split = new OutboxPartitions(partitions, workerCount);
            List<Worker> created = new ArrayList<>();
            for (int w = 0; w < workerCount; w++) {
                created.add(new Worker(split.ofWorker(w)));
            }
            workers = List.copyOf(created);
            if (workerCount > 1) {
                workerThreads = Executors.newFixedThreadPool(workerCount, runnable -> {
                    Thread thread = new Thread(runnable, "outbox-relay-worker");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            LOG.info("relaying messaging.outbox to exchange {}: {} partitions, {} worker(s), batches of {}",
                    EventTopology.EXCHANGE, partitions, workerCount, batchSize);
        }
        return workers;
    }

    /** The relay's AMQP connection, opened (and the topology declared) on first use and after any failure. */
    private Connection connection() throws IOException, TimeoutException {
        synchronized (connectionLock) {
            return openConnection();
        }
    }

    private Connection openConnection() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            Connection opened = amqp.newConnection(connectionName);
            try (Channel declaring = opened.createChannel()) {
                topology.declare(declaring);
            } catch (IOException | TimeoutException | RuntimeException e) {
                opened.abort();
                throw e;
            }
            LOG.info("connected to RabbitMQ as '{}' and declared {}", connectionName, topology);
            connection = opened;
        }
        return connection;
    }

    private void dropConnectionIfBroken() {
        synchronized (connectionLock) {
            if (connection != null && !connection.isOpen()) {
                connection.abort();
                connection = null;
            }
        }
    }

    /** One worker: its partitions, its channel in confirm mode. */
    private final class Worker {

        private final Integer[] partitions;
        private final Set<String> returned = ConcurrentHashMap.newKeySet();
        private Channel channel;
        private boolean lastBatchFull;

        Worker(Integer[] partitions) {
            this.partitions = partitions;
        }

        int drainUntil(long deadline) throws Exception {
            int total = 0;
            while (!closed) {
                int relayed = relayBatch();
                total += relayed;
                lastBatchFull = relayed == batchSize;
                if (!lastBatchFull || System.nanoTime() > deadline) {
                    break;
                }
            }
            return total;
        }

        int relayBatch() throws Exception {
            try (java.sql.Connection db = dataSource.getConnection()) {
                db.setAutoCommit(false);
                try {
                    List<OutboxEvent> events = claim(db);
                    if (!events.isEmpty()) {
                        Duration confirmWait = publish(events);
                        mark(db, events);
                        metrics.batch(events.size(), confirmWait);
                    }
                    db.commit();
                    return events.size();
                } catch (Exception e) {
                    rollback(db);
                    throw e;
                }
            } catch (Exception e) {
                abortChannel();
                metrics.failure();
                throw e;
            }
        }

        private List<OutboxEvent> claim(java.sql.Connection db) throws SQLException, IOException {
            try (PreparedStatement claim = db.prepareStatement(CLAIM)) {
                claim.setArray(1, db.createArrayOf("int4", partitions));
                claim.setInt(2, OutboxRelay.this.partitions);
                claim.setInt(3, batchSize);
                List<OutboxEvent> events = new ArrayList<>(batchSize);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        events.add(new OutboxEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                                rows.getString(5), rows.getString(6), headers(rows.getString(7)),
                                rows.getObject(8, OffsetDateTime.class).toInstant()));
                    }
                }
                return events;
            }
        }

        /** Publishes the batch in id order and waits once for the confirms of all of it. */
        private Duration publish(List<OutboxEvent> events) throws IOException, TimeoutException, InterruptedException {
            List<PublishTracing.Publish> batch = new ArrayList<>(events.size());
            try {
                Channel channel = channel();
                returned.clear();
                for (OutboxEvent event : events) {
                    PublishTracing.Publish publish = tracing.start(event);
                    batch.add(publish);
                    OutboxEvent traced = publish.event();
                    channel.basicPublish(EventTopology.EXCHANGE, traced.routingKey(), true, traced.properties(), traced.body());
                }
                long published = System.nanoTime();
                if (!channel.waitForConfirms(confirmTimeoutMs)) {
                    throw new IOException("the broker refused (nack) part of a batch of " + events.size() + " events");
                }
                Duration confirmWait = Duration.ofNanos(System.nanoTime() - published);
                // the broker returns an unroutable mandatory message before it confirms it
                if (!returned.isEmpty()) {
                    throw new UnroutableEventException(events.stream().filter(e -> returned.contains(e.eventId())).toList());
                }
                PublishTracing.confirmed(batch);
                return confirmWait;
            } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
                PublishTracing.failed(batch, e);
                throw e;
            }
        }

        private Channel channel() throws IOException, TimeoutException {
            if (channel == null || !channel.isOpen()) {
                channel = connection().createChannel();
                channel.confirmSelect();
                channel.addReturnListener(message -> returned.add(String.valueOf(message.getProperties().getMessageId())));
            }
            return channel;
        }

        private void mark(java.sql.Connection db, List<OutboxEvent> events) throws SQLException {
            Long[] ids = new Long[events.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = events.get(i).id();
            }
            try (PreparedStatement mark = db.prepareStatement(deleteOnPublish ? DELETE_PUBLISHED : MARK_PUBLISHED)) {
                Array array = db.createArrayOf("int8", ids);
                mark.setArray(1, array);
                int marked = mark.executeUpdate();
                if (marked != ids.length) {
                    throw new SQLException("marked " + marked + " of " + ids.length + " claimed rows published");
                }
            }
        }

        private void abortChannel() {
            if (channel != null) {
                try {
                    channel.abort();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("aborting the relay channel: {}", e.getMessage());
                }
                channel = null;
            }
            dropConnectionIfBroken();
        }

        void close() {
            abortChannel();
        }
    }

    private static Map<String, String> headers(String json) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode node = JSON.readTree(json);
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isNull()) {
                headers.put(field.getKey(), field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
            }
        }
        return headers;
    }

    private static void rollback(java.sql.Connection db) {
        try {
            db.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback after a failed batch: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (workers != null) {
            workers.forEach(Worker::close);
        }
        if (workerThreads != null) {
            workerThreads.shutdownNow();
        }
        synchronized (connectionLock) {
            if (connection != null) {
                connection.abort();
                connection = null;
            }
        }
        if (listener != null) {
            listener.close();
        }
    }

    /** Events the broker could not route to any queue: a missing binding is an error, never a silent drop. */
    public static final class UnroutableEventException extends IOException {
        UnroutableEventException(List<OutboxEvent> events) {
            super("no queue is bound for " + events.size() + " event(s) of type(s) "
                    + Arrays.toString(events.stream().map(OutboxEvent::eventType).distinct().toArray())
                    + " (first event id " + (events.isEmpty() ? "?" : events.get(0).eventId()) + "); they stay unpublished");
        }
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = positive("outbox.batch-size", batchSize);
    }

    public void setPollIntervalMs(long pollIntervalMs) {
        this.pollIntervalMs = positive("outbox.poll-interval-ms", pollIntervalMs);
    }

    public void setMaxPassMs(long maxPassMs) {
        this.maxPassMs = positive("outbox.max-pass-ms", maxPassMs);
    }

    public void setPartitions(int partitions) {
        this.partitions = positive("outbox.partitions", partitions);
    }

    public void setWorkers(int workers) {
        this.workerCount = positive("outbox.workers", workers);
    }

    public void setConfirmTimeoutMs(long confirmTimeoutMs) {
        this.confirmTimeoutMs = positive("outbox.confirm-timeout-ms", confirmTimeoutMs);
    }

    /** {@code outbox.retention-seconds=0}: delete rows when published instead of marking them for the retention route. */
    public void setRetentionSeconds(long retentionSeconds) {
        if (retentionSeconds < 0) {
            throw new IllegalArgumentException("outbox.retention-seconds must not be negative");
        }
        this.deleteOnPublish = retentionSeconds == 0;
    }

    public void setConnectionName(String connectionName) {
        this.connectionName = connectionName;
    }

    private static <T extends Number> T positive(String key, T value) {
        if (value.longValue() < 1) {
            throw new IllegalArgumentException(key + " must be positive, not " + value);
        }
        return value;
    }
}
