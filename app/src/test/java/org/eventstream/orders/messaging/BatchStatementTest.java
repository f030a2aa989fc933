package org.eventstream.orders.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which messages of a batch a run of {@link BatchStatement} holds, and which answer each message gets. The statements
 * themselves run against PostgreSQL in BatchedDeliveriesIT (payment's customer read) and OrderLocksIT (the status
 * changes).
 */
class BatchStatementTest {

    @BeforeEach
    void beginTransaction() {
        TransactionSynchronizationManager.initSynchronization();
    }

    @AfterEach
    void endTransaction() {
        TransactionSynchronizationManager.getSynchronizations().forEach(synchronization -> synchronization.afterCompletion(0));
        TransactionSynchronizationManager.clearSynchronization();
    }

    @Test
    void aReadRunsOnceForTheBatchsKeysAndEveryMessageOfAKeySharesItsRow() {
        BatchStatement customers = BatchStatement.reading("customer_id");
        BatchedDeliveries.Batch batch = batch("{\"customer_id\":\"a\"}", "{\"customer_id\":\"b\"}", "not json",
                "{\"customer_id\":\"a\"}", "{\"order_id\":\"o\"}", "{\"customer_id\":\"c\"}");

        List<Object> answers = new ArrayList<>();
        BatchedDeliveries.deliveringBatch(batch, () -> {
            assertThat(customers.run(Map.of("customer_id", "a"))).isEqualTo(Map.of("key", "{\"a\",\"b\",\"c\"}"));
            customers.answered(List.of(row("a", "name", "Ada"), row("c", "name", "Cyd")));
            answers.add(customers.answer());
            for (String customer : List.of("b", "a", "c")) {
                assertThat(customers.run(Map.of("customer_id", customer))).as("answered by the first run").isNull();
                answers.add(customers.answer());
            }
            assertThat(customers.run(Map.of("order_id", "o"))).as("no key").isNull();
            answers.add(customers.answer());
        });

        assertThat(answers).containsExactly("Ada", null, "Ada", "Cyd", null);
    }

    @Test
    void aChangeRunsEachEventOnceAndAnotherEventOfTheSameOrderInALaterRun() {
        BatchStatement changes = BatchStatement.writing(event -> {
            Map<String, Object> parameters = new HashMap<>();
            parameters.put("eventId", event.get("event_id"));
            parameters.put("orderId", event.get("order_id"));
            parameters.put("target", event.get("target"));
            return parameters;
        }, "eventId", "orderId");
        // sorted by order, as BatchedDeliveries delivers them: e1 of o1 twice (a repeat), e3 of o1, e2 of o2
        BatchedDeliveries.Batch batch = batch(event("e1", "o1"), event("e1", "o1"), event("e3", "o1"), event("e2", "o2"));

        BatchedDeliveries.deliveringBatch(batch, () -> {
            Map<String, String> run = changes.run(payload("e1", "o1"));
            assertThat(run).containsEntry("eventId", "{\"e1\",\"e2\"}").containsEntry("orderId", "{\"o1\",\"o2\"}")
                    .containsEntry("target", "{\"PAID\",NULL}");
            changes.answered(List.of(row("e1", "status", "PAID"), row("e2", "status", "PAID")));
            assertThat(changes.answer()).isEqualTo("PAID");

            assertThat(changes.run(payload("e1", "o1"))).as("the repeat runs again, alone")
                    .containsEntry("eventId", "{\"e1\"}");
            changes.answered(List.of());
            assertThat(changes.answer()).as("no row for it").isNull();

            assertThat(changes.run(payload("e3", "o1"))).containsEntry("eventId", "{\"e3\"}");
            changes.answered(List.of(row("e3", "status", "RESERVED")));
            assertThat(changes.answer()).isEqualTo("RESERVED");

            assertThat(changes.run(payload("e2", "o2"))).as("run with e1").isNull();
            assertThat(changes.answer()).isEqualTo("PAID");
        });
    }

    @Test
    void aMessageOnItsOwnRunsAlone() {
        BatchStatement customers = BatchStatement.reading("customer_id");

        assertThat(customers.run(Map.of("customer_id", "a"))).isEqualTo(Map.of("key", "{\"a\"}"));
        customers.answered(List.of(Map.of("key", "a", "name", "Ada", "email", "ada@example.com")));

        assertThat(customers.answer()).isEqualTo(Map.of("name", "Ada", "email", "ada@example.com"));
    }

    @Test
    void aStatementThatDoesNotAnswerTheKeyIsRefused() {
        BatchStatement customers = BatchStatement.reading("customer_id");
        customers.run(Map.of("customer_id", "a"));

        assertThatThrownBy(() -> customers.answered(List.of(Map.of("id", "a", "name", "Ada"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("column 'key'");
    }

    @Test
    void outsideATransactionNothingRuns() {
        TransactionSynchronizationManager.clearSynchronization();
        try {
            assertThatThrownBy(() -> BatchStatement.reading("customer_id").run(Map.of("customer_id", "a")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
        } finally {
            TransactionSynchronizationManager.initSynchronization();
        }
    }

    private static BatchedDeliveries.Batch batch(String... bodies) {
        return new BatchedDeliveries.Batch(List.of(), List.of(bodies).stream()
                .map(body -> body.getBytes(StandardCharsets.UTF_8)).toList());
    }

    private static String event(String eventId, String orderId) {
        return "{\"event_id\":\"" + eventId + "\",\"order_id\":\"" + orderId + "\"" + ("o1".equals(orderId) ? ",\"target\":\"PAID\"" : "")
                + "}";
    }

    private static Map<String, Object> payload(String eventId, String orderId) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("event_id", eventId);
        payload.put("order_id", orderId);
        if ("o1".equals(orderId)) {
            payload.put("target", "PAID");
        }
        return payload;
    }

    private static Map<String, Object> row(String key, String column, Object value) {
        Map<String, Object> row = new HashMap<>();
        row.put("key", key);
        row.put(column, value);
        return row;
    }
}
