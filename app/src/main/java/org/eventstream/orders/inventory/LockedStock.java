package org.eventstream.orders.inventory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.eventstream.orders.messaging.BatchedDeliveries;
import org.eventstream.orders.messaging.TransactionState;
import org.eventstream.orders.sql.ArrayLiteral;

/**
 * The stock of the products a consumer batch of reservations takes from, locked once for the whole batch: the first
 * reservation of the batch locks the products of every reservation of the batch (one statement, in id order, so two
 * batches cannot deadlock), and each reservation is then decided on the stock as the reservations before it in the
 * batch left it. The statement stays in the routes: this is the statements bean of a {@code batch-statement} route
 * (routes/shared/reliable-consumer.camel.yaml), which calls {@link #run}, the statement when it is needed,
 * {@link #answered} with the locked rows and {@link #answer}.
 *
 * <p>What a reservation took is counted by {@link #taken}, from its statement's answer: only a reservation that was
 * recorded (not a repeat of one recorded before, which its unique order id turns away) took anything. The locked rows
 * cannot change under the batch until it commits, and the batch changes them only through the reservations counted.
 * Delivered on its own, a reservation locks only its own products.
 */
public class LockedStock {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };

    private final TransactionState<Ledger> ledgers = new TransactionState<>("locked stock", Ledger::new);

    /**
     * @param paymentAuthorized the reservation's payment.authorized payload
     * @return the statement's parameter {@code productIds}: the products of this reservation and of every other one of
     *     the batch that the transaction has not locked yet; {@code null} when this reservation's are locked already
     */
    public Map<String, String> run(@Body Map<String, Object> paymentAuthorized) {
        Ledger ledger = ledgers.get();
        Set<String> toLock = new LinkedHashSet<>(productIds(paymentAuthorized));
        toLock.removeAll(ledger.locked);
        if (toLock.isEmpty()) {
            return null;
        }
        List<byte[]> batch = BatchedDeliveries.bodiesOfBatch();
        for (int i = 0; batch != null && i < batch.size(); i++) {
            productIdsOf(batch.get(i)).stream().filter(id -> !ledger.locked.contains(id)).forEach(toLock::add);
        }
        ledger.locked.addAll(toLock);
        return Map.of("productIds", ArrayLiteral.of(new ArrayList<>(toLock)));
    }

    /** Keeps the locked rows ({@code id}, {@code stock_available}); a product missing from the catalog has none. */
    public void answered(List<Map<String, Object>> rows) {
        Ledger ledger = ledgers.get();
        rows.forEach(row -> ledger.stock.put(String.valueOf(row.get("id")), ((Number) row.get("stock_available")).intValue()));
    }

    /** The stock of this reservation's products as the batch has left it, as the locked rows' {@code id} and {@code stock_available}. */
    public List<Map<String, Object>> answer(@Body Map<String, Object> paymentAuthorized) {
        Ledger ledger = ledgers.get();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String productId : new LinkedHashSet<>(productIds(paymentAuthorized))) {
            Integer available = ledger.stock.get(productId);
            if (available != null) {
                rows.add(Map.of("id", productId, "stock_available", available));
            }
        }
        return rows;
    }

    /**
     * Counts what a reservation took from the locked stock.
     *
     * @param paymentAuthorized the reservation's payload: its lines
     * @param decision          {@link StockReservations#decide}'s decision: its {@code status}
     * @param recorded          the record statement's update count: 1 when recorded, 0 for a repeat
     */
    public void taken(@Variable("payment") Map<String, Object> paymentAuthorized, @Variable("reservation") Map<String, Object> decision,
                      @Header("CamelSqlUpdateCount") Integer recorded) {
        if (!"RESERVED".equals(decision.get("status")) || recorded == null || recorded != 1) {
            return;
        }
        Map<String, Integer> stock = ledgers.get().stock;
        for (Map<String, Object> line : StockReservations.lines(paymentAuthorized)) {
            stock.merge(String.valueOf(line.get("product_id")), -((Number) line.get("quantity")).intValue(), Integer::sum);
        }
    }

    private static List<String> productIds(Map<String, Object> paymentAuthorized) {
        return StockReservations.lines(paymentAuthorized).stream().map(line -> String.valueOf(line.get("product_id"))).toList();
    }

    /** The products of another message of the batch; none when it is not a reservation its own delivery can run. */
    private static List<String> productIdsOf(byte[] body) {
        try {
            return body == null ? List.of() : productIds(JSON.readValue(body, PAYLOAD));
        } catch (IOException | RuntimeException notAReservation) {
            return List.of();
        }
    }

    /** One transaction's locked products (asked for, found or not) and their stock as its reservations have left it. */
    private static final class Ledger {

        private final Set<String> locked = new HashSet<>();
        private final Map<String, Integer> stock = new HashMap<>();
    }
}
