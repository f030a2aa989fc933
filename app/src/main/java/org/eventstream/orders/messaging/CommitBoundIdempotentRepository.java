package org.eventstream.orders.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.component.redis.processor.idempotent.SpringRedisStringIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The consumers' idempotent repository (Redis {@code SET NX} with a TTL, as {@link SpringRedisStringIdempotentRepository}),
 * whose keys are written only once the PostgreSQL transaction around them has committed. The idempotent consumer adds
 * a key when its exchange completes; when {@link BatchedDeliveries} runs several exchanges in one transaction, that is
 * before the commit — a key written then would make a rolled-back message look done. So inside a transaction the keys
 * are collected and written in one pipeline after the commit, and dropped on a rollback; outside one they are written
 * at once. A crash between the commit and the write loses only keys: the redelivery finds the effect's unique
 * constraint in PostgreSQL, the source of truth.
 */
public class CommitBoundIdempotentRepository extends SpringRedisStringIdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(CommitBoundIdempotentRepository.class);

    private final RedisTemplate<String, String> redisTemplate;

    public CommitBoundIdempotentRepository(RedisTemplate<String, String> redisTemplate, String processorName) {
        super(redisTemplate, processorName);
        this.redisTemplate = redisTemplate;
    }

    @Override
    public boolean add(String key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return super.add(key);
        }
        pendingKeys().add(key);
        return true;
    }

    @SuppressWarnings("unchecked")
    private List<String> pendingKeys() {
        List<String> keys = (List<String>) TransactionSynchronizationManager.getResource(this);
        if (keys == null) {
            List<String> pending = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(CommitBoundIdempotentRepository.this);
                    if (status == STATUS_COMMITTED) {
                        addAll(pending);
                    }
                }
            });
            keys = pending;
        }
        return keys;
    }

    private void addAll(List<String> keys) {
        Expiration expiration = getExpiry() > 0 ? Expiration.seconds(getExpiry()) : Expiration.persistent();
        try {
            redisTemplate.executePipelined((RedisCallback<Object>) connection -> {
                for (String key : keys) {
                    connection.stringCommands().set(bytes(createRedisKey(key)), bytes(key), expiration, SetOption.ifAbsent());
                }
                return null;
            });
        } catch (RuntimeException e) {
            // only the fast path suffers: a redelivery of these messages is answered by PostgreSQL's constraints
            LOG.warn("committed, but {} idempotency keys were not written to Redis: {}", keys.size(), e.toString());
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
