package org.eventstream.orders.observability;

import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Variable;
import org.slf4j.MDC;

/**
 * Names what the rest of an exchange's log lines are about under its ECS name: kept on the exchange (property
 * {@value #ORDER_ID}), from which {@link LogContextUnitOfWork} puts it into the MDC before each later step, on whichever
 * thread runs it, and put into the MDC at once for the step naming it.
 */
public class LogContext {

    public static final String ORDER_ID = "order.id";

    /** The order the exchange works on: its variable {@code orderId}. */
    public void order(@Variable("orderId") String orderId, Exchange exchange) {
        if (orderId != null) {
            exchange.setProperty(ORDER_ID, orderId);
            MDC.put(ORDER_ID, orderId);
        }
    }

    /** The order an event is about ({@code order_id} of its payload). */
    public void event(@Body Map<String, Object> payload, Exchange exchange) {
        Object orderId = payload.get("order_id");
        order(orderId == null ? null : orderId.toString(), exchange);
    }
}
