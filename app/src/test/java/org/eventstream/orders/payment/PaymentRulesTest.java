package org.eventstream.orders.payment;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentRulesTest {

    private final PaymentRules rules = new PaymentRules("100.00");

    private static Map<String, Object> order(String total) {
        return Map.of("order_id", "o-1", "customer_id", "c-1", "total_amount", total, "currency", "USD",
                "items", List.of(Map.of("product_id", "p-1", "quantity", 1)));
    }

    @Test
    void authorizesUpToTheLimit() {
        Map<String, Object> outcome = rules.decide(order("100.00"), false);

        assertThat(outcome).containsEntry("event_type", "payment.authorized").containsEntry("status", "AUTHORIZED")
                .containsEntry("amount", new BigDecimal("100.00")).containsKey("items");
        assertThat(outcome.get("reason")).isNull();
    }

    @Test
    void declinesAboveTheLimitAndFlaggedCustomers() {
        assertThat(rules.decide(order("100.01"), false)).containsEntry("event_type", "payment.declined")
                .containsEntry("reason", "amount_over_limit");
        assertThat(rules.decide(order("1.00"), true)).containsEntry("status", "DECLINED").containsEntry("reason", "customer_blocked");
    }

    @Test
    void aRefundCarriesTheRefundedAmount() {
        Map<String, Object> refund = rules.refund(Map.of("order_id", "o-1", "customer_id", "c-1", "reason", "insufficient_stock"),
                Map.of("amount", new BigDecimal("42.00"), "currency", "USD"));

        assertThat(refund).containsEntry("event_type", "payment.refunded").containsEntry("amount", new BigDecimal("42.00"))
                .containsEntry("reason", "insufficient_stock");
    }
}
