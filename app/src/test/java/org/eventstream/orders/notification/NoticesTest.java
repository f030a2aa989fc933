package org.eventstream.orders.notification;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoticesTest {

    private final Notices notices = new Notices();
    private final Map<String, Object> customer = Map.of("name", "Ada", "email", "ada@example.com");

    @Test
    void confirmsAReservedOrder() {
        Map<String, Object> notice = notices.compose(Map.of("event_type", "inventory.reserved", "order_id", "o-1",
                "customer_id", "c-1"), customer);

        assertThat(notice).containsEntry("kind", "ORDER_CONFIRMED").containsEntry("recipient", "ada@example.com");
        assertThat((String) notice.get("body")).contains("Ada", "o-1", "confirmed");
        @SuppressWarnings("unchecked") Map<String, Object> sent = (Map<String, Object>) notice.get("event");
        assertThat(sent).containsEntry("event_type", "notification.sent").containsEntry("kind", "ORDER_CONFIRMED");
    }

    @Test
    void apologisesForADeclineAndARefund() {
        assertThat(notices.compose(Map.of("event_type", "payment.declined", "order_id", "o-1", "reason", "amount_over_limit"),
                customer).get("kind")).isEqualTo("PAYMENT_DECLINED");
        Map<String, Object> refund = notices.compose(Map.of("event_type", "payment.refunded", "order_id", "o-1", "amount", "9.99",
                "currency", "USD", "reason", "insufficient_stock"), customer);
        assertThat(refund.get("kind")).isEqualTo("PAYMENT_REFUNDED");
        assertThat((String) refund.get("body")).contains("9.99 USD", "refunded");
    }

    @Test
    void refusesAnEventItHasNoNoticeFor() {
        assertThatThrownBy(() -> notices.compose(Map.of("event_type", "order.created", "order_id", "o-1"), customer))
                .hasMessageContaining("order.created");
    }
}
