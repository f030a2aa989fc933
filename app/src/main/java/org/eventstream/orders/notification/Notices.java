package org.eventstream.orders.notification;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Variable;

/**
 * What the customer is told, by the event that happened: a confirmation when stock is reserved, an apology when
 * the payment is declined or refunded. One notification per order and kind.
 */
public class Notices {

    public static final String CONFIRMATION = "ORDER_CONFIRMED";
    public static final String DECLINED = "PAYMENT_DECLINED";
    public static final String REFUNDED = "PAYMENT_REFUNDED";

    /**
     * @param event    the consumed event's payload
     * @param customer {@code name} and {@code email} from the catalog, or {@code null} if the customer is gone
     * @return the notification row's fields and, under {@code event}, the payload of {@code notification.sent}
     */
    public Map<String, Object> compose(@Body Map<String, Object> event, @Variable("customer") Map<String, Object> customer) {
        String type = String.valueOf(event.get("event_type"));
        String orderId = String.valueOf(event.get("order_id"));
        String name = customer == null ? "customer" : String.valueOf(customer.get("name"));
        String kind;
        String text;
        switch (type) {
            case "inventory.reserved" -> {
                kind = CONFIRMATION;
                text = "Dear " + name + ", your order " + orderId + " is confirmed and on its way.";
            }
            case "payment.declined" -> {
                kind = DECLINED;
                text = "Dear " + name + ", we are sorry: the payment for order " + orderId + " was declined ("
                        + event.get("reason") + ").";
            }
            case "payment.refunded" -> {
                kind = REFUNDED;
                text = "Dear " + name + ", we are sorry: order " + orderId + " could not be fulfilled (" + event.get("reason")
                        + "); your payment of " + event.get("amount") + " " + event.get("currency") + " has been refunded.";
            }
            default -> throw new IllegalArgumentException("no notice for event type " + type);
        }

        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("event_type", "notification.sent");
        sent.put("order_id", orderId);
        sent.put("customer_id", event.get("customer_id"));
        sent.put("kind", kind);

        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("order_id", orderId);
        notice.put("kind", kind);
        notice.put("channel", "email");
        notice.put("recipient", customer == null ? null : customer.get("email"));
        notice.put("body", text);
        notice.put("event", sent);
        return notice;
    }
}
