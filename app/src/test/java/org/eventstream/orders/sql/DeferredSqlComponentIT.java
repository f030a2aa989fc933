package org.eventstream.orders.sql;

import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.sql.SqlConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code sql-deferred} scheme against the real PostgreSQL: inside a Spring transaction its rows wait for the commit
 * and are written in the order they came; a row that fails fails the commit and leaves nothing of the transaction;
 * outside one a row is written at once.
 */
class DeferredSqlComponentIT {

    private static final String TABLE = "public.deferred_sql_it";
    private static final String INSERT = "sql-deferred:INSERT INTO " + TABLE + " (id, note) VALUES (:#id, :#note)"
            + " ON CONFLICT (id) DO NOTHING";

    private static CamelContext context;
    private static ProducerTemplate producer;
    private static JdbcTemplate jdbc;
    private static TransactionTemplate transaction;

    @BeforeAll
    static void start() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(TestServers.DB_URL);
        dataSource.setUser(TestServers.DB_USER);
        dataSource.setPassword(TestServers.DB_PASSWORD);
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE
                + " (seq bigserial, id int PRIMARY KEY, note varchar(5) NOT NULL)");
        transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));

        context = new DefaultCamelContext();
        DeferredSqlComponent deferred = new DeferredSqlComponent();
        deferred.setDataSource(dataSource);
        context.addComponent("sql-deferred", deferred);
        context.start();
        producer = context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.stop();
        }
        if (jdbc != null) {
            jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
        }
    }

    @BeforeEach
    void empty() {
        jdbc.execute("TRUNCATE " + TABLE);
    }

    @Test
    void inATransactionTheRowsWaitForTheCommitAndAreWrittenInTheOrderTheyCame() {
        long seenBeforeCommit = transaction.execute(status -> {
            for (int id : new int[] {3, 1, 2}) {
                producer.sendBody(INSERT, Map.of("id", id, "note", "n" + id));
            }
            // the same connection, the same transaction: nothing written yet
            return count();
        });

        assertThat(seenBeforeCommit).isZero();
        assertThat(jdbc.queryForList("SELECT id FROM " + TABLE + " ORDER BY seq", Integer.class)).containsExactly(3, 1, 2);
    }

    @Test
    void aRowThatFailsFailsTheCommitAndNothingOfTheTransactionStays() {
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO " + TABLE + " (id, note) VALUES (100, 'now')");
            producer.sendBody(INSERT, Map.of("id", 1, "note", "fits"));
            producer.sendBody(INSERT, Map.of("id", 2, "note", "far too long for five"));
        })).isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("too long");

        assertThat(count()).isZero();
    }

    @Test
    void endpointsWriteInTheOrderFirstUsedAndAFailingOneUndoesTheOthersRows() {
        String upperCase = "sql-deferred:INSERT INTO " + TABLE + " (id, note) VALUES (:#id, upper(:#note))";
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            producer.sendBody(INSERT, Map.of("id", 1, "note", "first"));
            producer.sendBody(upperCase, Map.of("id", 2, "note", "far too long for five"));
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(count()).as("rows of the endpoint written before the failing one").isZero();

        transaction.executeWithoutResult(status -> {
            producer.sendBody(upperCase, Map.of("id", 3, "note", "b"));
            producer.sendBody(INSERT, Map.of("id", 4, "note", "a"));
            producer.sendBody(upperCase, Map.of("id", 5, "note", "c"));
        });
        assertThat(jdbc.queryForList("SELECT note FROM " + TABLE + " ORDER BY seq", String.class)).containsExactly("B", "C", "a");
    }

    @Test
    void aRolledBackTransactionWritesNothingAndLeavesNothingForTheNext() {
        transaction.executeWithoutResult(status -> {
            producer.sendBody(INSERT, Map.of("id", 1, "note", "gone"));
            status.setRollbackOnly();
        });
        transaction.executeWithoutResult(status -> producer.sendBody(INSERT, Map.of("id", 2, "note", "kept")));

        assertThat(jdbc.queryForList("SELECT id FROM " + TABLE, Integer.class)).containsExactly(2);
    }

    @Test
    void theBodyIsCopiedWhenKeptSoALaterChangeDoesNotReachTheCommit() {
        transaction.executeWithoutResult(status -> {
            Map<String, Object> row = new java.util.HashMap<>(Map.of("id", 1, "note", "first"));
            producer.sendBody(INSERT, row);
            row.put("note", "later");
        });

        assertThat(jdbc.queryForObject("SELECT note FROM " + TABLE + " WHERE id = 1", String.class)).isEqualTo("first");
    }

    @Test
    void outsideATransactionTheRowIsWrittenAtOnceWithItsUpdateCount() {
        Exchange first = producer.request(INSERT, exchange -> exchange.getMessage().setBody(Map.of("id", 1, "note", "once")));
        Exchange repeat = producer.request(INSERT, exchange -> exchange.getMessage().setBody(Map.of("id", 1, "note", "twice")));

        assertThat(first.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT)).isEqualTo(1);
        assertThat(repeat.getMessage().getHeader(SqlConstants.SQL_UPDATE_COUNT)).isEqualTo(0);
        assertThat(jdbc.queryForList("SELECT note FROM " + TABLE, String.class)).isEqualTo(List.of("once"));
    }

    @Test
    void aBodyThatIsNotTheRowsParametersIsRefused() {
        assertThatThrownBy(() -> producer.sendBody(INSERT, "id=1"))
                .isInstanceOf(CamelExecutionException.class).hasCauseInstanceOf(InvalidPayloadException.class);
        assertThat(count()).isZero();
    }

    private static long count() {
        return jdbc.queryForObject("SELECT count(*) FROM " + TABLE, Long.class);
    }
}
