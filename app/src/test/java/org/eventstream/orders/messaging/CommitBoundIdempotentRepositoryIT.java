package org.eventstream.orders.messaging;

import java.util.UUID;

import org.eventstream.orders.support.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The idempotency keys follow the PostgreSQL transaction they were added in: written after its commit, never after a rollback. */
class CommitBoundIdempotentRepositoryIT {

    private static JedisConnectionFactory redis;
    private static StringRedisTemplate template;
    private static TransactionTemplate transaction;
    private static JdbcTemplate jdbc;
    private static CommitBoundIdempotentRepository repository;

    @BeforeAll
    static void connect() {
        redis = new JedisConnectionFactory(new RedisStandaloneConfiguration(TestServers.REDIS_HOST, TestServers.REDIS_PORT));
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
}
