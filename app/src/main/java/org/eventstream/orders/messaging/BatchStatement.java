package org.eventstream.orders.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.eventstream.orders.sql.ArrayLiteral;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A statement that every message of a consumer batch runs with parameters of its own, run once for the messages of the
 * batch together: one round trip per batch instead of one per message, as the idempotency check's {@code MGET} is
 * ({@link CommitBoundIdempotentRepository}). The statement stays in the routes, a camel-sql step of the route template
 * {@code batch-statement} (routes/shared/reliable-consumer.camel.yaml), which calls {@link #run}, then the statement
 * when the run is needed, {@link #answered} with its rows, and {@link #answer}.
 *
 * <p>A run binds each parameter as one array, the messages' values in the same order ({@code unnest} takes them back
 * apart), and answers at most one row per message, with the message's key as it was given in a column {@code key}. A
 * message's answer is what camel-sql's {@code SelectOne} would give for its row: {@code null} when there is none, the
 * value when the row has one column besides {@code key}, else the row as a {@code Map} without it.
 *
 * <p>Inside a batch's transaction ({@link BatchedDeliveries}) the first message to get there runs the statement for
 * itself and every message of the batch that has not run it yet — their parameters taken from their bodies; a body that
 * is not a JSON object is left out, its own delivery fails on it — and the others take their answers from that run.
 * Delivered on its own (alone, or a retry) a message's run holds only itself. So a message's row is read, or written, at
 * the turn of the first message of its batch, in the same transaction.
 * <ul>
 *   <li>{@link #reading}: a read by a key of the event (the customer). Messages with the same key share a row. Only for
 *       rows the batch itself does not write.</li>
 *   <li>{@link #writing}: a change with an answer (an order's status). A run holds at most one message per
 *       {@code exclusive} value (the order) and per key (the event); another one runs in a later run, after the first,
 *       as it would have on its own. Each answer is taken once. A run changes the rows of messages whose exchanges have
 *       not got there yet: only for a statement that every message of the queue runs, and a message whose delivery
 *       then turns out to be a duplicate has run it again, so it must change nothing then, as every consumer's effect
 *       must not.</li>
 * </ul>
 * A value a run cannot take (a key that is no uuid, for a uuid cast) fails the run; the batch rolls back and each message
 * is then delivered on its own, the bad one failing alone.
 */
public class BatchStatement {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };
    private static final Object NO_ROW = new Object();

    private final Function<Map<String, Object>, Map<String, Object>> parameters;
    private final String key;
    private final String exclusive;
    private final boolean shared;

    private BatchStatement(Function<Map<String, Object>, Map<String, Object>> parameters, String key, String exclusive,
                           boolean shared) {
        this.parameters = parameters;
        this.key = key;
        this.exclusive = exclusive;
        this.shared = shared;
    }

    /** A read by the payload's field {@code keyField}: the run's one parameter is {@code key}. */
    public static BatchStatement reading(String keyField) {
        return new BatchStatement(payload -> {
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("key", payload.get(keyField));
            return parameters;
        }, "key", "key", true);
    }

    /**
     * A change with an answer.
     *
     * @param parameters a message's parameters from its payload
     * @param key        the parameter identifying the message (its event id), whose value the run answers as {@code key}
     * @param exclusive  the parameter of which a run holds each value once (the order id)
     */
    public static BatchStatement writing(Function<Map<String, Object>, Map<String, Object>> parameters, String key,
                                         String exclusive) {
        return new BatchStatement(parameters, key, exclusive, false);
    }

    /**
     * @param payload the message's payload
     * @return the parameters of the run this message needs, each an array literal of the values of the run's messages;
     *     {@code null} when an earlier run of the transaction has answered it already, or when it has no key
     */
    public Map<String, String> run(@Body Map<String, Object> payload) {
        Runs runs = runsOfTransaction();
        Map<String, Object> own = parameters.apply(payload);
        Object ownKey = own.get(key);
        runs.current = ownKey == null ? null : ownKey.toString();
        if (runs.current == null || runs.answers.containsKey(runs.current)) {
            return null;
        }
        List<Map<String, Object>> run = new ArrayList<>();
        run.add(own);
        Set<String> keys = new HashSet<>(Set.of(runs.current));
        Set<String> exclusives = new HashSet<>(Set.of(String.valueOf(own.get(exclusive))));
        List<byte[]> batch = BatchedDeliveries.bodiesOfBatch();
        boolean ownFound = false;
        for (int i = 0; batch != null && i < batch.size(); i++) {
            if (runs.ran.contains(i)) {
                continue;
            }
            Map<String, Object> other = parametersOf(batch.get(i));
            Object otherKey = other == null ? null : other.get(key);
            if (otherKey == null) {
                runs.ran.add(i);
                continue;
            }
            String otherKeyText = otherKey.toString();
            String otherExclusive = String.valueOf(other.get(exclusive));
            if (!ownFound && runs.current.equals(otherKeyText)) {
                ownFound = true;
                runs.ran.add(i);
            } else if (!runs.answers.containsKey(otherKeyText) && !keys.contains(otherKeyText)
                    && !exclusives.contains(otherExclusive)) {
                keys.add(otherKeyText);
                exclusives.add(otherExclusive);
                run.add(other);
                runs.ran.add(i);
            }
        }
        runs.pending = run.stream().map(message -> message.get(key).toString()).toList();
        Map<String, String> arrays = new LinkedHashMap<>();
        for (String name : own.keySet()) {
            arrays.put(name, ArrayLiteral.withNulls(run.stream().map(message -> message.get(name)).toList()));
        }
        return arrays;
    }

    /** Keeps the rows of the run the current message started, for it and for the other messages of the run. */
    public void answered(List<Map<String, Object>> rows) {
        Runs runs = runsOfTransaction();
        for (String pending : runs.pending) {
            runs.answers.put(pending, NO_ROW);
        }
        for (Map<String, Object> row : rows) {
            Map<String, Object> answer = new LinkedHashMap<>(row);
            Object rowKey = answer.remove("key");
            if (rowKey == null) {
                throw new IllegalStateException("a batch statement answers its messages' keys in a column 'key'");
            }
            runs.answers.put(rowKey.toString(), answer.size() == 1 ? answer.values().iterator().next() : answer);
        }
        runs.pending = List.of();
    }

    /** The current message's answer, as {@code SelectOne} would give it; {@code null} when it has no key. */
    public Object answer() {
        Runs runs = runsOfTransaction();
        if (runs.current == null) {
            return null;
        }
        Object answer = shared ? runs.answers.get(runs.current) : runs.answers.remove(runs.current);
        if (answer == null) {
            throw new IllegalStateException("no run of the batch statement answered " + key + " " + runs.current);
        }
        return answer == NO_ROW ? null : answer;
    }

    private Map<String, Object> parametersOf(byte[] body) {
        try {
            return body == null ? null : parameters.apply(JSON.readValue(body, PAYLOAD));
        } catch (IOException notAnObject) {
            return null;
        }
    }

    /** The runs of the current transaction: its messages are delivered one after the other, on its thread. */
    private Runs runsOfTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("a batch statement runs in its consumer's transaction (reliable-consumer)");
        }
        Runs runs = (Runs) TransactionSynchronizationManager.getResource(this);
        if (runs == null) {
            runs = new Runs();
            TransactionSynchronizationManager.bindResource(this, runs);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(BatchStatement.this);
                }
            });
        }
        return runs;
    }

    /**
     * What one transaction has run: the batch's messages run so far (by index), the answers not taken yet, the keys of
     * the run started last and the key of the message being delivered.
     */
    private static final class Runs {

        private final Set<Integer> ran = new HashSet<>();
        private final Map<String, Object> answers = new HashMap<>();
        private List<String> pending = List.of();
        private String current;
    }
}
