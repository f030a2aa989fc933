package org.eventstream.orders.messaging;

import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The idempotency keys follow the PostgreSQL transaction they were added in: written after its commit, never after a
 * rollback. Inside a batch the keys of all its messages are looked up in one MGET.
 */
class CommitBoundIdempotentRepositoryIT {

    private static JedisConnectionFactory redis;
    private static StringRedisTemplate template;
    private static TransactionTemplate transaction;
    private static JdbcTemplate jdbc;
    private static CommitBoundIdempotentRepository repository;

    @BeforeAll
    static void connect() {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(TestServers.REDIS_HOST, TestServers.REDIS_PORT);
        server.setDatabase(TestServers.REDIS_DATABASE);
        redis = new JedisConnectionFactory(server);
        redis.afterPropertiesSet();
        redis.start();
        template = new StringRedisTemplate(redis);
        DriverManagerDataSource dataSource = new DriverManagerDataSource(TestServers.DB_URL, TestServers.DB_USER, TestServers.DB_PASSWORD);
        transaction = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        jdbc = new JdbcTemplate(dataSource);
        repository = new CommitBoundIdempotentRepository(template, "idempotency-test");
        repository.setExpiry(60);
    }

    @AfterAll
    static void close() {
        template.delete(template.keys("idempotency-test:*"));
        redis.destroy();
    }

    @Test
    void keysAddedInATransactionAreWrittenInOnePipelineAfterItsCommit() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        transaction.executeWithoutResult(status -> {
            jdbc.queryForObject("SELECT 1", Integer.class);
            assertThat(repository.add(first)).isTrue();
            assertThat(repository.add(second)).isTrue();
            assertThat(repository.contains(first)).as("before the commit").isFalse();
        });

        assertThat(repository.contains(first)).isTrue();
        assertThat(repository.contains(second)).isTrue();
        assertThat(template.getExpire("idempotency-test:" + first)).isBetween(1L, 60L);
    }

    @Test
    void keysAddedInATransactionThatRollsBackAreNeverWritten() {
        String key = UUID.randomUUID().toString();

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
            repository.add(key);
            throw new IllegalStateException("the effect failed");
        })).hasMessage("the effect failed");

        assertThat(repository.contains(key)).isFalse();
        // the next transaction starts clean: nothing of the rolled-back one is pending
        String next = UUID.randomUUID().toString();
        transaction.executeWithoutResult(status -> repository.add(next));
        assertThat(repository.contains(next)).isTrue();
        assertThat(repository.contains(key)).isFalse();
    }

    @Test
    void outsideATransactionAKeyIsWrittenAtOnceAndOnlyOnce() {
        String key = UUID.randomUUID().toString();

        assertThat(repository.add(key)).isTrue();
        assertThat(repository.contains(key)).isTrue();
        assertThat(repository.add(key)).as("already there").isFalse();
    }

    @Test
    void aBatchsKeysAreLookedUpInOneRoundTrip() {
        List<String> batch = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        template.opsForValue().set("idempotency-test:payment:" + batch.get(1), batch.get(1));
        long getsBefore = calls("get");
        long mgetsBefore = calls("mget");

        BatchedDeliveries.Batch delivered = new BatchedDeliveries.Batch(batch, List.of());
        transaction.executeWithoutResult(status -> BatchedDeliveries.deliveringBatch(delivered, () -> {
            assertThat(repository.contains("payment:" + batch.get(0))).isFalse();
            assertThat(repository.contains("payment:" + batch.get(1))).as("done before").isTrue();
            assertThat(repository.contains("payment:" + batch.get(2))).isFalse();
        }));

        assertThat(calls("mget") - mgetsBefore).isEqualTo(1);
        assertThat(calls("get") - getsBefore).isZero();
    }

    @Test
    void aKeyThatDoesNotEndWithItsMessageIdIsAskedForAlone() {
        List<String> batch = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
        long getsBefore = calls("get");

        BatchedDeliveries.Batch delivered = new BatchedDeliveries.Batch(batch, List.of());
        transaction.executeWithoutResult(status -> BatchedDeliveries.deliveringBatch(delivered, () ->
                assertThat(repository.contains("payment:" + batch.get(0) + ":v2")).isFalse()));

        assertThat(calls("get") - getsBefore).isEqualTo(1);
    }

    /** How often Redis has run a command since its start (INFO commandstats). */
    private static long calls(String command) {
        Properties stats;
        try (RedisConnection connection = redis.getConnection()) {
            stats = connection.serverCommands().info("commandstats");
        }
        String line = stats == null ? null : stats.getProperty("cmdstat_" + command);
        if (line == null) {
            return 0;
        }
        return Long.parseLong(line.replaceAll("^calls=(\\d+),.*", "$1"));
    }
}
