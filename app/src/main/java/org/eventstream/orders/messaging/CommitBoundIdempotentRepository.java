package org.eventstream.orders.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        transactionKeys().added.add(key);
        return true;
    }

    /**
     * Inside a transaction of a batch ({@link BatchedDeliveries#messageIdsOfBatch()}), the first question looks up the
     * keys of every message of the batch in one {@code MGET}, and each later one is answered from it: one round trip
     * per batch instead of one per message. A key is the message's id behind a prefix (here
     * {@code <bundle>:<event id>}): the prefix is taken from the first key asked, so that a key that does not end with
     * its message's id is simply asked for alone, as outside a batch.
     */
    @Override
    public boolean contains(String key) {
        List<String> batch = BatchedDeliveries.messageIdsOfBatch();
        if (batch == null || batch.size() < 2) {
            return super.contains(key);
        }
        TransactionKeys keys = transactionKeys();
        if (!keys.batchLookedUp) {
            keys.batchLookedUp = true;
            lookUp(key, batch, keys.answers);
        }
        Boolean known = keys.answers.remove(key);
        return known != null ? known : super.contains(key);
    }

    private void lookUp(String asked, List<String> messageIds, Map<String, Boolean> answers) {
        String prefix = messageIds.stream().filter(asked::endsWith).findFirst()
                .map(id -> asked.substring(0, asked.length() - id.length())).orElse(null);
        if (prefix == null) {
            return;
        }
        List<String> keys = messageIds.stream().map(id -> prefix + id).toList();
        List<String> values = redisTemplate.opsForValue().multiGet(keys.stream().map(this::createRedisKey).toList());
        if (values != null) {
            for (int i = 0; i < keys.size(); i++) {
                answers.put(keys.get(i), values.get(i) != null);
            }
        }
    }

    /** What this transaction added (written after its commit) and what it looked up for its batch. */
    private TransactionKeys transactionKeys() {
        TransactionKeys keys = (TransactionKeys) TransactionSynchronizationManager.getResource(this);
        if (keys == null) {
            TransactionKeys bound = new TransactionKeys();
            TransactionSynchronizationManager.bindResource(this, bound);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(CommitBoundIdempotentRepository.this);
                    if (status == STATUS_COMMITTED && !bound.added.isEmpty()) {
                        addAll(bound.added);
                    }
                }
            });
            keys = bound;
        }
        return keys;
    }

    private static final class TransactionKeys {
        private final List<String> added = new ArrayList<>();
        private final Map<String, Boolean> answers = new HashMap<>();
        private boolean batchLookedUp;
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
