package org.eventstream.orders.messaging;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.eventstream.orders.sql.ArrayLiteral;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A read that every message of a consumer batch makes for a key of its own (the customer of the event), made once for
 * the whole batch: one round trip per batch instead of one per message, as the idempotency check's {@code MGET} is
 * ({@link CommitBoundIdempotentRepository}).
 *
 * <p>The statement gets the keys as one {@code text[]} parameter and answers at most one row per key it found, with
 * the key as it was given in a column {@code key}:
 * <pre>SELECT k.key, c.payment_blocked FROM unnest(CAST(? AS text[])) AS k(key)
 * JOIN catalog.customers c ON c.id = CAST(k.key AS uuid)</pre>
 * The answer for a message is what camel-sql's {@code outputType=SelectOne} gives for the same read of its own key:
 * {@code null} when there is no row, the value when the row has one column besides {@code key}, else the row as a
 * {@code Map} without it.
 *
 * <p>Inside a batch's transaction ({@link BatchedDeliveries}), the first message to ask reads the keys of every message
 * of the batch — field {@code keyField} of each body; a body that is not a JSON object with that field is left out —
 * and the others are answered from that read. Outside a batch (a message delivered on its own, a retry) a message reads
 * its own key. So the rows are read at the first message's turn in the batch's transaction, not at each message's:
 * only for rows that the batch itself does not write. A key the statement cannot take (not a uuid, for a uuid cast)
 * fails the batch's read; the batch rolls back and each message then reads its own key, the bad one failing alone.
 */
public class BatchLookup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JdbcTemplate jdbc;
    private final String keyField;
    private final String statement;

    /**
     * @param dataSource the consumers' data source, whose transaction the read joins
     * @param keyField   the field of an event's payload holding its key
     * @param statement  the read: a {@code text[]} parameter of keys; a row per key found, with a column {@code key}
     */
    public BatchLookup(DataSource dataSource, String keyField, String statement) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.keyField = keyField;
        this.statement = statement;
    }

    /**
     * @param payload the event's payload
     * @return the answer for the payload's key, as {@code SelectOne} would give it; {@code null} without a key
     */
    public Object lookup(@Body Map<String, Object> payload) {
        Object value = payload.get(keyField);
        if (value == null) {
            return null;
        }
        String key = value.toString();
        List<byte[]> batch = BatchedDeliveries.bodiesOfBatch();
        if (batch == null || batch.size() < 2) {
            return read(List.of(key)).get(key);
        }
        Answers answers = answersOfTransaction();
        if (!answers.asked.contains(key)) {
            Set<String> keys = new LinkedHashSet<>();
            keys.add(key);
            for (byte[] body : batch) {
                String other = keyOf(body);
                if (other != null && !answers.asked.contains(other)) {
                    keys.add(other);
                }
            }
            answers.found.putAll(read(keys));
            answers.asked.addAll(keys);
        }
        return answers.found.get(key);
    }

    private String keyOf(byte[] body) {
        try {
            JsonNode key = body == null ? null : JSON.readTree(body).get(keyField);
            return key == null || !key.isValueNode() || key.isNull() ? null : key.asText();
        } catch (IOException notJson) {
            // its own delivery fails on it; the others still get their answers
            return null;
        }
    }

    /** The answers found for these keys, by key. */
    private Map<String, Object> read(Collection<String> keys) {
        Map<String, Object> found = new HashMap<>();
        for (Map<String, Object> row : jdbc.queryForList(statement, ArrayLiteral.of(keys))) {
            Object key = row.remove("key");
            if (key == null) {
                throw new IllegalStateException("the batch lookup's statement answers no column 'key': " + statement);
            }
            found.putIfAbsent(key.toString(), row.size() == 1 ? row.values().iterator().next() : row);
        }
        return found;
    }

    private Answers answersOfTransaction() {
        Answers answers = (Answers) TransactionSynchronizationManager.getResource(this);
        if (answers == null) {
            answers = new Answers();
            TransactionSynchronizationManager.bindResource(this, answers);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(BatchLookup.this);
                }
            });
        }
        return answers;
    }

    /** What one transaction has read: the keys asked and the answers found among them. */
    private static final class Answers {

        private final Set<String> asked = new HashSet<>();
        private final Map<String, Object> found = new HashMap<>();
    }
}
