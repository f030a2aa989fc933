package org.eventstream.orders.outbox;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTopologyTest {

    /** The subscriptions routes/shared/application.properties configures. */
    static List<EventTopology.Subscription> configuredQueues() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("routes/shared/application.properties"))) {
            properties.load(in);
        }
        return EventTopology.parse(properties.getProperty("outbox.topology.queues"));
    }

    @Test
    void theConfiguredQueuesAreExactlyTheConsumersTheRoutesInstantiate() throws Exception {
        assertThat(configuredQueues()).extracting(EventTopology.Subscription::queue)
                .containsExactlyInAnyOrderElementsOf(consumerQueuesOfTheRoutes())
                // ARCHITECTURE.md section 6, plus the order-status and stock-release consumers
                .contains("payment.order.created", "aggregator.order.created", "inventory.payment.authorized",
                        "orders-api.payment.declined", "notification.payment.declined", "notification.inventory.reserved",
                        "orders-api.inventory.reserved", "payment.inventory.rejected", "orders-api.inventory.rejected",
                        "orders-api.payment.refunded", "notification.payment.refunded", "orders-api.notification.sent",
                        "aggregator.order.completed", "aggregator.order.rejected", "aggregator.order.cancelled");
    }

    /** {@code <bundle>.<event>} of every reliable-consumer the YAML routes instantiate. */
    @SuppressWarnings("unchecked")
    private static List<String> consumerQueuesOfTheRoutes() throws Exception {
        List<String> queues = new ArrayList<>();
        Load yaml = new Load(LoadSettings.builder().build());
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                for (Object node : (List<Object>) yaml.loadFromString(Files.readString(file))) {
                    Map<String, Object> templated = (Map<String, Object>) ((Map<String, Object>) node).get("templatedRoute");
                    if (templated == null || !"reliable-consumer".equals(templated.get("routeTemplateRef"))) {
                        continue;
                    }
                    Map<String, Object> parameters = new HashMap<>();
                    for (Map<String, Object> parameter : (List<Map<String, Object>>) templated.get("parameters")) {
                        parameters.put((String) parameter.get("name"), parameter.get("value"));
                    }
                    queues.add(parameters.get("bundle") + "." + parameters.get("event"));
                }
            }
        }
        return queues;
    }

    @Test
    void aSubscriptionIsAQueueBoundByItsEventWithADeadLetterQueue() {
        EventTopology topology = new EventTopology("payment:order.created", "quorum");
        EventTopology.Subscription subscription = topology.subscriptions().get(0);

        assertThat(subscription.event()).isEqualTo("order.created");
        assertThat(subscription.queue()).isEqualTo("payment.order.created");
        assertThat(subscription.deadLetterQueue()).isEqualTo("payment.order.created.dlq");
        assertThat(topology.queueArguments(subscription)).containsEntry("x-queue-type", "quorum")
                .containsEntry("x-dead-letter-exchange", "events.dlx")
                .containsEntry("x-dead-letter-routing-key", "payment.order.created");
        assertThat(topology.deadLetterQueueArguments()).containsEntry("x-queue-type", "quorum");
    }

    @Test
    void acceptsCommasWhiteSpaceAndAnEmptyList() {
        assertThat(new EventTopology(" a:x.y ,\n b:z  ", "classic").subscriptions())
                .containsExactly(new EventTopology.Subscription("a", "x.y"), new EventTopology.Subscription("b", "z"));
        assertThat(new EventTopology("", "CLASSIC").subscriptions()).isEmpty();
        assertThat(new EventTopology("", "Classic").queueType()).isEqualTo(EventTopology.QueueType.CLASSIC);
    }

    @Test
    void refusesMalformedEntriesDuplicatesAndUnknownQueueTypes() {
        assertThatThrownBy(() -> new EventTopology("payment", "quorum")).hasMessageContaining("'payment' is not <bundle>:<event>");
        assertThatThrownBy(() -> new EventTopology("payment:", "quorum")).hasMessageContaining("is not <bundle>:<event>");
        assertThatThrownBy(() -> new EventTopology(":order.created", "quorum")).hasMessageContaining("is not <bundle>:<event>");
        assertThatThrownBy(() -> new EventTopology("a:b:c", "quorum")).hasMessageContaining("is not <bundle>:<event>");
        assertThatThrownBy(() -> new EventTopology("a:b,a:b", "quorum")).hasMessageContaining("twice");
        assertThatThrownBy(() -> new EventTopology("a:b", "stream")).hasMessageContaining("quorum or classic");
    }
}
