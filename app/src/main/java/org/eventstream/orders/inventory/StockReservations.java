package org.eventstream.orders.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.eventstream.orders.messaging.Events;

/**
 * All-or-nothing stock reservation for a paid order: the parameters of the one statement (routes/inventory) that locks
 * the order's product rows in id order (so concurrent reservations cannot deadlock), decides from the locked stock
 * whether every line fits, records the reservation, takes its lines from stock only when all fit, and appends the
 * outcome, {@code inventory.reserved} or {@code inventory.rejected}, to the outbox. Stock never goes negative and an
 * order never takes part of its lines; a repeated delivery finds its reservation recorded and does nothing.
 */
public class StockReservations {

    public static final String RESERVED = "inventory.reserved";
    public static final String REJECTED = "inventory.rejected";
    private static final List<String> OUTCOMES = List.of(RESERVED, REJECTED);

    private final Events events = new Events();

    /**
     * @return the statement's parameters: the outcome event's outbox row ({@link Events#emitOneOf}), whose
     *     {@code aggregateId} is the order and whose payload's {@code items} are the lines to reserve
     */
    public Map<String, Object> reservation(@Body Map<String, Object> paymentAuthorized, @Variable("bundle") String bundle,
                                           @Header(Events.MESSAGE_ID) String causeId, @Header("traceparent") String traceparent) {
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("order_id", paymentAuthorized.get("order_id"));
        outcome.put("customer_id", paymentAuthorized.get("customer_id"));
        outcome.put("items", lines(paymentAuthorized));
        return events.emitOneOf(outcome, OUTCOMES, bundle, causeId, traceparent);
    }

    private static List<?> lines(Map<String, Object> payload) {
        Object items = payload.get("items");
        if (!(items instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("payment.authorized for order " + payload.get("order_id") + " has no items");
        }
        return list;
    }
}
