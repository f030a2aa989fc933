package org.eventstream.orders.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.eventstream.orders.support.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The topology of ARCHITECTURE.md §6 declared on the real broker as quorum queues (the deployment default). The
 * queues carry a prefix of the test's own so that a system running on the same vhost is never touched; they are
 * deleted afterwards.
 */
class EventTopologyIT {

    private static final String PREFIX = "topology-it-";
    private static TestBroker broker;
    private static EventTopology topology;

    @BeforeAll
    static void declare() throws Exception {
        broker = TestBroker.connect();
        String prefixed = EventTopologyTest.configuredQueues().stream()
                .map(s -> PREFIX + s.bundle() + ":" + s.event())
                .collect(Collectors.joining(","));
        topology = new EventTopology(prefixed, "quorum");
        try (Channel channel = broker.channel()) {
            topology.declare(channel);
        }
    }

    @AfterAll
    static void delete() throws Exception {
        List<String> queues = new ArrayList<>();
        topology.subscriptions().forEach(s -> {
            queues.add(s.queue());
            queues.add(s.deadLetterQueue());
        });
        broker.deleteQueues(queues);
        broker.close();
    }

    @Test
    void declaringAgainWithTheSameArgumentsChangesNothing() throws Exception {
        try (Channel channel = broker.channel()) {
            topology.declare(channel);
            assertThat(channel.isOpen()).isTrue();
        }
    }

    @Test
    void declaresDurableQuorumQueuesWithTheirDeadLetterSettings() throws Exception {
        assumeTrue(TestBroker.rabbitmqctlAvailable(), "rabbitmqctl shows the queues' type and arguments");
        String queues = TestBroker.queues();
        for (EventTopology.Subscription subscription : topology.subscriptions()) {
            assertThat(queues).containsPattern("(?m)^" + subscription.queue().replace(".", "\\.") + "\\tquorum\\t.*x-dead-letter-exchange.*events\\.dlx");
            assertThat(queues).containsPattern("(?m)^" + subscription.deadLetterQueue().replace(".", "\\.") + "\\tquorum\\t");
        }
    }

    @Test
    void routesAnEventToEverySubscriberAndARejectedMessageToItsDeadLetterQueue() throws Exception {
        try (Channel channel = broker.channel()) {
            channel.confirmSelect();
            AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).messageId("e-1").build();
            channel.basicPublish(EventTopology.EXCHANGE, "order.created", true, persistent, "{}".getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5000);

            String payment = PREFIX + "payment.order.created";
            String aggregator = PREFIX + "aggregator.order.created";
            assertThat(channel.messageCount(aggregator)).isEqualTo(1);
            GetResponse received = channel.basicGet(payment, false);
            assertThat(received.getProps().getMessageId()).isEqualTo("e-1");
            channel.basicReject(received.getEnvelope().getDeliveryTag(), false);

            await().atMost(Duration.ofSeconds(5)).until(() -> channel.messageCount(payment + ".dlq") == 1);
            assertThat(channel.basicGet(payment + ".dlq", true).getProps().getMessageId()).isEqualTo("e-1");
        }
    }

    @Test
    void refusesToRedeclareTheQueuesAsAnotherType() throws Exception {
        EventTopology classic = new EventTopology(PREFIX + "payment:order.created", "classic");
        Channel channel = broker.channel(); // the broker closes it on the refusal
        assertThatThrownBy(() -> classic.declare(channel)).hasStackTraceContaining("PRECONDITION_FAILED");
        assertThat(channel.isOpen()).isFalse();
    }
}
