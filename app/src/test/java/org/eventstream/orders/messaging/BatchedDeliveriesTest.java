package org.eventstream.orders.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

class BatchedDeliveriesTest {

    private static Message message(String body, String subject) {
        MessageProperties properties = new MessageProperties();
        if (subject != null) {
            properties.setHeader(BatchedDeliveries.SUBJECT, subject);
        }
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }

    @Test
    void everyBatchRunsInTheOrderOfItsSubjectsAndOneSubjectsMessagesKeepTheQueuesOrder() {
        List<Message> received = List.of(message("b1", "order-b"), message("a1", "order-a"), message("none", null),
                message("b2", "order-b"), message("a2", "order-a"));

        List<String> delivered = BatchedDeliveries.inSubjectOrder(received).stream()
                .map(message -> new String(message.getBody(), StandardCharsets.UTF_8)).toList();

        assertThat(delivered).containsExactly("none", "a1", "a2", "b1", "b2");
        assertThat(received).extracting(message -> new String(message.getBody(), StandardCharsets.UTF_8))
                .as("the received batch is left as it was").startsWith("b1", "a1");
    }
}
