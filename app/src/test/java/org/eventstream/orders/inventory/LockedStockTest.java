package org.eventstream.orders.inventory;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reservations delivered on their own, in one transaction: what each locks, sees and takes ({@link LockedStock}). */
class LockedStockTest {

    private final LockedStock stock = new LockedStock();

    @BeforeEach
    void beginTransaction() {
        TransactionSynchronizationManager.initSynchronization();
    }

    @AfterEach
    void endTransaction() {
        TransactionSynchronizationManager.getSynchronizations().forEach(sync -> sync.afterCompletion(0));
        TransactionSynchronizationManager.clearSynchronization();
    }

    @Test
    void locksEachProductOnceAndAnswersTheStockTheReservationsBeforeLeft() {
        Map<String, Object> first = payment("o-1", Map.of("p-1", 2));
        assertThat(stock.run(first)).isEqualTo(Map.of("productIds", "{\"p-1\"}"));
        stock.answered(List.of(Map.of("id", "p-1", "stock_available", 5)));
        assertThat(stock.answer(first)).containsExactly(Map.of("id", "p-1", "stock_available", 5));
        stock.taken(first, Map.of("status", "RESERVED"), 1);

        Map<String, Object> second = payment("o-2", Map.of("p-1", 1, "p-2", 1));
        assertThat(stock.run(second)).as("only the product not locked yet").isEqualTo(Map.of("productIds", "{\"p-2\"}"));
        stock.answered(List.of());
        assertThat(stock.answer(second)).as("p-2 is not in the catalog: no row")
                .containsExactly(Map.of("id", "p-1", "stock_available", 3));

        Map<String, Object> third = payment("o-3", Map.of("p-1", 3));
        assertThat(stock.run(third)).as("everything locked already").isNull();
        assertThat(stock.answer(third)).containsExactly(Map.of("id", "p-1", "stock_available", 3));
    }

    @Test
    void aRepeatOrARejectionTakesNothing() {
        Map<String, Object> repeat = payment("o-1", Map.of("p-1", 2));
        stock.run(repeat);
        stock.answered(List.of(Map.of("id", "p-1", "stock_available", 5)));
        stock.taken(repeat, Map.of("status", "RESERVED"), 0);
        stock.taken(payment("o-2", Map.of("p-1", 2)), Map.of("status", "REJECTED"), 1);

        assertThat(stock.answer(repeat)).containsExactly(Map.of("id", "p-1", "stock_available", 5));
    }

    @Test
    void runsOnlyInATransaction() {
        endTransaction();
        try {
            assertThatThrownBy(() -> stock.run(payment("o-1", Map.of("p-1", 1)))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("transaction");
        } finally {
            beginTransaction();
        }
    }

    private static Map<String, Object> payment(String orderId, Map<String, Integer> quantities) {
        return Map.of("order_id", orderId, "customer_id", "c-1", "items", quantities.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(line -> Map.<String, Object>of("product_id", line.getKey(), "quantity", line.getValue())).toList());
    }
}
