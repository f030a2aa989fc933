package org.eventstream.orders.observability;

import java.util.Map;

import org.apache.camel.Body;
import org.slf4j.MDC;

/**
 * Puts what a log line is about into the MDC under its ECS name, for the rest of the exchange: Camel's MDC unit of
 * work clears it when the exchange is done ({@code camel.main.mdc-logging-keys-pattern=*}).
 */
public class LogContext {

    public static final String ORDER_ID = "order.id";

    /** The order the exchange works on. */
    public void order(String orderId) {
        if (orderId != null) {
            MDC.put(ORDER_ID, orderId);
        }
    }

    /** The order an event is about ({@code order_id} of its payload). */
    public void event(@Body Map<String, Object> payload) {
        Object orderId = payload.get("order_id");
        order(orderId == null ? null : orderId.toString());
    }
}
