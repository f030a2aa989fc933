package org.eventstream.orders.payment;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;

/**
 * Authorizes or declines an order's payment by two deterministic rules, in this order:
 * <ol>
 *   <li>a customer flagged {@code payment_blocked} in the catalog is declined ({@code customer_blocked});</li>
 *   <li>an order above {@code payment.max-amount} is declined ({@code amount_over_limit}).</li>
 * </ol>
 * Everything else is authorized. The result is the payload of {@code payment.authorized} or {@code payment.declined},
 * which carries the order's items on to inventory. A refund is the compensation when stock is short.
 */
public class PaymentRules {

    public static final String AUTHORIZED = "payment.authorized";
    public static final String DECLINED = "payment.declined";

    private final BigDecimal maxAmount;

    public PaymentRules(String maxAmount) {
        if (maxAmount == null || maxAmount.isBlank()) {
            throw new IllegalArgumentException("payment.max-amount is not set");
        }
        this.maxAmount = new BigDecimal(maxAmount.strip());
    }

    public Map<String, Object> decide(@Body Map<String, Object> orderCreated, @Variable("customerBlocked") Boolean customerBlocked) {
        BigDecimal amount = new BigDecimal(String.valueOf(orderCreated.get("total_amount")));
        String reason = null;
        if (Boolean.TRUE.equals(customerBlocked)) {
            reason = "customer_blocked";
        } else if (amount.compareTo(maxAmount) > 0) {
            reason = "amount_over_limit";
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event_type", reason == null ? AUTHORIZED : DECLINED);
        payload.put("order_id", orderCreated.get("order_id"));
        payload.put("customer_id", orderCreated.get("customer_id"));
        payload.put("amount", amount);
        payload.put("currency", orderCreated.get("currency"));
        payload.put("status", reason == null ? "AUTHORIZED" : "DECLINED");
        payload.put("reason", reason);
        payload.put("items", orderCreated.get("items"));
        return payload;
    }

    /** The payload of {@code payment.refunded}: the refunded amount, for the order the stock could not be reserved for. */
    public Map<String, Object> refund(@Body Map<String, Object> inventoryRejected, @Header("refunded") Map<String, Object> payment) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event_type", "payment.refunded");
        payload.put("order_id", inventoryRejected.get("order_id"));
        payload.put("customer_id", inventoryRejected.get("customer_id"));
        payload.put("amount", payment.get("amount"));
        payload.put("currency", String.valueOf(payment.get("currency")).trim());
        payload.put("reason", inventoryRejected.get("reason"));
        return payload;
    }
}
