package org.eventstream.orders.messaging;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BatchLookup} against the real PostgreSQL: on its own a message reads its own key; inside a batch's transaction
 * the first question reads the keys of every message of the batch in one statement and the others are answered from
 * it; the next transaction reads again. Answers are what camel-sql's SelectOne would give.
 */
class BatchLookupIT {

    private static final String TABLE = "public.batch_lookup_it";
    private static final String ONE_COLUMN = "SELECT k.key, c.blocked FROM unnest(CAST(? AS text[])) AS k(key)"
            + " JOIN " + TABLE + " c ON c.id = CAST(k.key AS uuid)";
    private static final String TWO_COLUMNS = "SELECT k.key, c.name, c.blocked FROM unnest(CAST(? AS text[])) AS k(key)"
            + " JOIN " + TABLE + " c ON c.id = CAST(k.key AS uuid)";

    private static JdbcTemplate jdbc;
    private static TransactionTemplate transaction;
    private static final AtomicInteger STATEMENTS = new AtomicInteger();
    private static DelegatingDataSource counted;

    private final String ada = UUID.randomUUID().toString();
    private final String bob = UUID.randomUUID().toString();
    private final String cyd = UUID.randomUUID().toString();

    @BeforeAll
    static void start() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServers.DB_URL);
        dataSource.setUser(TestServers.DB_USER);
        dataSource.setPassword(TestServers.DB_PASSWORD);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id uuid PRIMARY KEY, name text NOT NULL, blocked boolean NOT NULL)");
        counted = new CountingDataSource(dataSource);
        transaction = new TransactionTemplate(new DataSourceTransactionManager(counted));
    }

    @AfterAll
    static void stop() {
        if (jdbc != null) {
            jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    @BeforeEach
    void seed() {
        jdbc.update("INSERT INTO " + TABLE + " VALUES (CAST(? AS uuid), 'Ada', true), (CAST(? AS uuid), 'Bob', false),"
                + " (CAST(? AS uuid), 'Cyd', false)", ada, bob, cyd);
    }

    @Test
    void onItsOwnAMessageReadsItsOwnKeyAndGetsWhatSelectOneWouldGive() {
        BatchLookup blocked = new BatchLookup(counted, "customer_id", ONE_COLUMN);
        BatchLookup customers = new BatchLookup(counted, "customer_id", TWO_COLUMNS);
        int before = STATEMENTS.get();

        assertThat(blocked.lookup(Map.of("customer_id", ada))).isEqualTo(true);
        assertThat(blocked.lookup(Map.of("customer_id", bob))).isEqualTo(false);
        assertThat(blocked.lookup(Map.of("customer_id", UUID.randomUUID().toString()))).as("no such row").isNull();
        assertThat(blocked.lookup(Map.of("order_id", ada))).as("no key").isNull();
        assertThat(customers.lookup(Map.of("customer_id", cyd))).isEqualTo(Map.of("name", "Cyd", "blocked", false));

        assertThat(STATEMENTS.get() - before).as("a statement for each message with a key").isEqualTo(4);
    }

    @Test
    void aBatchIsReadInOneStatementAtItsFirstQuestionAndTheNextTransactionReadsAgain() {
        BatchLookup customers = new BatchLookup(counted, "customer_id", TWO_COLUMNS);
        String unknown = UUID.randomUUID().toString();
        List<byte[]> bodies = new ArrayList<>();
        for (String customer : List.of(ada, bob, cyd, unknown, ada)) {
            bodies.add(("{\"event_type\":\"order.created\",\"customer_id\":\"" + customer + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        bodies.add("not json".getBytes(StandardCharsets.UTF_8));
        bodies.add("{\"event_type\":\"order.created\"}".getBytes(StandardCharsets.UTF_8));
        BatchedDeliveries.Batch batch = new BatchedDeliveries.Batch(List.of(), bodies);
        int before = STATEMENTS.get();

        transaction.executeWithoutResult(status -> BatchedDeliveries.deliveringBatch(batch, () -> {
            assertThat(customers.lookup(Map.of("customer_id", bob))).isEqualTo(Map.of("name", "Bob", "blocked", false));
            assertThat(customers.lookup(Map.of("customer_id", ada))).isEqualTo(Map.of("name", "Ada", "blocked", true));
            assertThat(customers.lookup(Map.of("customer_id", unknown))).as("no such row").isNull();
            assertThat(customers.lookup(Map.of("customer_id", cyd))).isEqualTo(Map.of("name", "Cyd", "blocked", false));
        }));
        assertThat(STATEMENTS.get() - before).as("one statement for the batch").isEqualTo(1);

        jdbc.update("UPDATE " + TABLE + " SET blocked = true WHERE id = CAST(? AS uuid)", bob);
        transaction.executeWithoutResult(status -> BatchedDeliveries.deliveringBatch(batch, () -> {
            assertThat(customers.lookup(Map.of("customer_id", bob))).isEqualTo(Map.of("name", "Bob", "blocked", true));
            String outsider = UUID.randomUUID().toString();
            assertThat(customers.lookup(Map.of("customer_id", outsider))).as("a key of no message of the batch").isNull();
        }));
        assertThat(STATEMENTS.get() - before).as("the next transaction's read, and one for the key outside the batch")
                .isEqualTo(3);
    }

    /** Counts the statements prepared on its connections. */
    private static final class CountingDataSource extends DelegatingDataSource {

        CountingDataSource(PGSimpleDataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("prepareStatement")) {
                            STATEMENTS.incrementAndGet();
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
