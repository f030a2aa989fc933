package org.eventstream.orders.messaging;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import org.apache.camel.component.springrabbit.CamelSimpleMessageListenerContainer;
import org.apache.camel.component.springrabbit.ListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.eventstream.orders.observability.ConsumerMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.BlockingQueueConsumer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.support.ActiveObjectCounter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ReflectionUtils;

/**
 * The listener containers of every consumer queue (routes/shared/reliable-consumer.camel.yaml), set on the
 * {@code spring-rabbitmq} component: each consumer takes the messages waiting in its queue as one batch (up to
 * {@code consumer.batch.size}, waiting at most {@code consumer.batch.linger-ms} for more) and runs their Camel
 * exchanges one after the other in <em>one</em> PostgreSQL transaction; after the commit the Redis keys of the batch
 * are set in one pipeline ({@link CommitBoundIdempotentRepository}) and the broker gets one ack for all of them. A
 * transaction, its commit, the Redis writes and the ack are paid once per batch instead of once per message.
 *
 * <p>Each message keeps its own guarantees. When any exchange of a batch fails, or the commit does, the whole
 * transaction rolls back and every message of the batch is delivered again on its own, with {@link ConsumerRetry}:
 * the one that failed with the attempts it has left, the others with all of theirs — so a poison message is still
 * retried {@code consumer.attempts} times and parked alone, and its neighbours commit. The ack of the batch follows
 * only when each of its messages has committed or been parked; if parking fails, the listener throws and the
 * container returns the whole batch to the queue (what committed is then a duplicate the idempotent consumer skips).
 *
 * <p>The batch stays bound to its transaction while its exchanges run: the idempotency check asks Redis about all of
 * its message ids at once, and a {@link BatchStatement} runs for all of its messages at once.
 *
 * <p>A batch forms only from what is already waiting or arrives within the linger: at a low rate batches hold one
 * message, under load they grow, which is where the saving is needed.
 */
public class BatchedDeliveries implements ListenerContainerFactory {

    private static final Logger LOG = LoggerFactory.getLogger(BatchedDeliveries.class);
    /**
     * How long an idle consumer waits for a batch's first message before it looks again: ten wake-ups a second instead
     * of one per linger. A stopping container waits up to this long for each of its consumers (Spring's default, a
     * second, made stopping the routes and reloading them in dev mode slow).
     */
    static final long IDLE_WAIT_MS = 100;
    /** The CloudEvents header naming what an event is about: the order's id (outbox.OutboxEvent). */
    static final String SUBJECT = "ce_subject";
    /** The transaction resource holding the batch being delivered. */
    private static final Object BATCH = new Object();

    private final TransactionTemplate transaction;
    private final ConsumerRetry retry;
    private final ConsumerMetrics metrics;
    private final int batchSize;
    private final long lingerMs;

    public BatchedDeliveries(TransactionTemplate transaction, ConsumerRetry retry, ConsumerMetrics metrics, int batchSize,
                             long lingerMs) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("consumer.batch.size must be at least 1, was " + batchSize);
        }
        if (lingerMs < 1) {
            throw new IllegalArgumentException("consumer.batch.linger-ms must be at least 1, was " + lingerMs);
        }
        this.transaction = transaction;
        this.retry = retry;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.lingerMs = lingerMs;
    }

    /**
     * The AMQP message ids of the batch this thread's transaction is delivering (a message without an id is left out),
     * or {@code null} outside a batch: what {@link CommitBoundIdempotentRepository} looks up in one go.
     */
    static List<String> messageIdsOfBatch() {
        Batch batch = batch();
        return batch == null ? null : batch.messageIds();
    }

    /**
     * The bodies of the messages of the batch this thread's transaction is delivering, or {@code null} outside a batch:
     * what a {@link BatchStatement} takes the parameters of the whole batch from.
     */
    static List<byte[]> bodiesOfBatch() {
        Batch batch = batch();
        return batch == null ? null : batch.bodies();
    }

    private static Batch batch() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                ? (Batch) TransactionSynchronizationManager.getResource(BATCH) : null;
    }

    /** Runs the deliveries of a batch, inside its transaction, with the batch bound to it. */
    static void deliveringBatch(Batch batch, Runnable deliveries) {
        TransactionSynchronizationManager.bindResource(BATCH, batch);
        try {
            deliveries.run();
        } finally {
            TransactionSynchronizationManager.unbindResource(BATCH);
        }
    }

    /**
     * The batch in the order of its messages' subjects (the CloudEvents {@code ce_subject} header the relay sets: the
     * order's id), keeping the queue's order among messages of one subject; messages without a subject come first.
     * A batch holds the row locks its effects take until it commits, and the batches of one bundle's queues lock the
     * same orders (orders-api's status consumers, six queues): when every batch takes them in one global order, no two
     * batches wait for each other in a circle. Delivered in queue order, they deadlocked now and then under load
     * (PostgreSQL's "deadlock detected" on orders.orders: a batch rolled back and redone message by message).
     */
    static List<Message> inSubjectOrder(List<Message> messages) {
        List<Message> ordered = new ArrayList<>(messages);
        ordered.sort(Comparator.comparing(BatchedDeliveries::subject, Comparator.nullsFirst(Comparator.naturalOrder())));
        return ordered;
    }

    private static String subject(Message message) {
        Object subject = message.getMessageProperties().getHeader(SUBJECT);
        return subject == null ? null : subject.toString();
    }

    @Override
    public AbstractMessageListenerContainer createListenerContainer(SpringRabbitMQEndpoint endpoint) {
        if (endpoint.getAcknowledgeMode() != AcknowledgeMode.AUTO) {
            throw new IllegalArgumentException("the consumer of " + endpoint.getQueues()
                    + " needs acknowledgeMode=AUTO: the batch is acked when each of its messages has committed or been parked");
        }
        Container container = new Container(endpoint);
        container.setQueueNames(endpoint.getQueues().split(","));
        container.setAcknowledgeMode(AcknowledgeMode.AUTO);
        container.setAutoDeclare(endpoint.isAutoDeclare());
        container.setAmqpAdmin(endpoint.getComponent().getAmqpAdmin());
        // the connection declares the topology when it opens; until a restarted broker has it, keep trying
        container.setMissingQueuesFatal(false);
        container.setPrefetchCount(Math.max(endpoint.getPrefetchCount(), batchSize));
        container.setShutdownTimeout(endpoint.getComponent().getShutdownTimeout());
        container.setConsumerArguments(endpoint.getConsumerArgs());
        container.setConsumerBatchEnabled(true);
        container.setBatchSize(batchSize);
        // how long an idle consumer waits for a batch's first message; the linger is its consumers' business
        container.setReceiveTimeout(IDLE_WAIT_MS);
        return container;
    }

    /** Camel's container, with Camel's per-message listener run in batches. */
    private final class Container extends CamelSimpleMessageListenerContainer {

        private final String queue;

        Container(SpringRabbitMQEndpoint endpoint) {
            super(endpoint);
            this.queue = endpoint.getQueues();
        }

        @Override
        public void setMessageListener(MessageListener listener) {
            super.setMessageListener(listener instanceof ChannelAwareMessageListener delivery
                    ? new BatchListener(queue, delivery) : listener);
        }

        /**
         * Spring's consumer as Spring configures it (SimpleMessageListenerContainer#createBlockingQueueConsumer),
         * but a {@link LingeringConsumer}; the declaration retries Spring also passes on are left at their defaults,
         * as this factory never sets them on the container. The container's count of active consumers, which its
         * shutdown waits on, is private to it: read by reflection, once per consumer created.
         */
        @Override
        protected BlockingQueueConsumer createBlockingQueueConsumer() {
            BlockingQueueConsumer consumer = new LingeringConsumer(getConnectionFactory(), getMessagePropertiesConverter(),
                    activeConsumers(), getAcknowledgeMode(), isChannelTransacted(), Math.max(getPrefetchCount(), batchSize),
                    isDefaultRequeueRejected(), getConsumerArguments(), isNoLocal(), isExclusive(), getQueueNames());
            consumer.setGlobalQos(isGlobalQos());
            consumer.setMissingQueuePublisher(this::publishMissingQueueEvent);
            if (getFailedDeclarationRetryInterval() > 0) {
                consumer.setFailedDeclarationRetryInterval(getFailedDeclarationRetryInterval());
            }
            if (getConsumerTagStrategy() != null) {
                consumer.setTagStrategy(getConsumerTagStrategy());
            }
            consumer.setBackOffExecution(getRecoveryBackOff().start());
            consumer.setShutdownTimeout(getShutdownTimeout());
            consumer.setApplicationEventPublisher(getApplicationEventPublisher());
            consumer.setMessageAckListener(getMessageAckListener());
            return consumer;
        }

        @SuppressWarnings("unchecked")
        private ActiveObjectCounter<BlockingQueueConsumer> activeConsumers() {
            Field field = ReflectionUtils.findField(SimpleMessageListenerContainer.class, "cancellationLock");
            if (field == null) {
                throw new IllegalStateException("this Spring AMQP's SimpleMessageListenerContainer has no cancellationLock;"
                        + " BatchedDeliveries.Container must follow its createBlockingQueueConsumer()");
            }
            ReflectionUtils.makeAccessible(field);
            return (ActiveObjectCounter<BlockingQueueConsumer>) ReflectionUtils.getField(field, this);
        }
    }

    /**
     * Waits for a batch's first message as long as the container's receive timeout ({@link #IDLE_WAIT_MS}), then for
     * the others only until {@code linger-ms} after the first arrived;
     * messages already prefetched join the batch without waiting, up to {@code batch.size}. The container calls
     * {@link #nextMessage(long)} once per message of a batch and ends the batch on the first {@code null}.
     */
    private final class LingeringConsumer extends BlockingQueueConsumer {

        private boolean gathering;
        private long batchDeadline;

        LingeringConsumer(ConnectionFactory connectionFactory, MessagePropertiesConverter converter,
                          ActiveObjectCounter<BlockingQueueConsumer> activeConsumers, AcknowledgeMode acknowledgeMode,
                          boolean transactional, int prefetchCount, boolean defaultRequeueRejected,
                          Map<String, Object> consumerArguments, boolean noLocal, boolean exclusive, String... queues) {
            super(connectionFactory, converter, activeConsumers, acknowledgeMode, transactional, prefetchCount,
                    defaultRequeueRejected, consumerArguments, noLocal, exclusive, queues);
        }

        @Override
        public Message nextMessage(long receiveTimeout) throws InterruptedException, ShutdownSignalException {
            if (!gathering) {
                Message first = super.nextMessage(receiveTimeout);
                gathering = first != null;
                batchDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lingerMs);
                return first;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(batchDeadline - System.nanoTime());
            Message next = super.nextMessage(Math.max(0, left));
            // a batch that filled up ends without a null: the next call then takes what waits, if anything, at once
            gathering = next != null;
            return next;
        }
    }

    private final class BatchListener implements ChannelAwareBatchMessageListener {

        private final String queue;
        private final ChannelAwareMessageListener delivery;

        BatchListener(String queue, ChannelAwareMessageListener delivery) {
            this.queue = queue;
            this.delivery = delivery;
        }

        @Override
        public void onMessageBatch(List<Message> received, Channel channel) {
            metrics.batch(queue, received.size());
            List<Message> messages = inSubjectOrder(received);
            try {
                if (messages.size() > 1) {
                    Failure failure = inOneTransaction(messages, channel);
                    if (failure == null) {
                        return;
                    }
                    LOG.debug("batch of {} from {} rolled back, each message on its own now: {}", messages.size(), queue,
                            failure.cause.toString());
                    for (int i = 0; i < messages.size(); i++) {
                        alone(messages.get(i), channel, i == failure.index ? failure.cause : null);
                    }
                } else {
                    alone(messages.get(0), channel, null);
                }
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot park a message of " + queue, e);
            }
        }

        /** The batch in one transaction; what failed when it rolled back, or null when it committed. */
        private Failure inOneTransaction(List<Message> messages, Channel channel) {
            int[] delivered = {0};
            try {
                transaction.executeWithoutResult(status -> deliveringBatch(Batch.of(messages), () -> {
                    for (Message message : messages) {
                        deliver(message, channel);
                        delivered[0]++;
                    }
                }));
                return null;
            } catch (DeliveryFailed e) {
                return new Failure(delivered[0], e.cause);
            } catch (RuntimeException e) {
                // the commit failed: no message is to blame
                return new Failure(-1, e);
            }
        }

        private void alone(Message message, Channel channel, Exception firstFailure) throws Exception {
            retry.deliver(message, firstFailure, () -> {
                try {
                    transaction.executeWithoutResult(status -> deliver(message, channel));
                } catch (DeliveryFailed e) {
                    throw e.cause;
                }
            });
        }

        private void deliver(Message message, Channel channel) {
            try {
                delivery.onMessage(message, channel);
            } catch (Exception e) {
                throw new DeliveryFailed(e);
            }
        }

        @Override
        public void onMessageBatch(List<Message> messages) {
            throw new UnsupportedOperationException("needs the channel");
        }
    }

    private record Failure(int index, Exception cause) {
    }

    /** A batch's message ids (a message without one is left out) and its messages' bodies. */
    record Batch(List<String> messageIds, List<byte[]> bodies) {

        static Batch of(List<Message> messages) {
            return new Batch(messages.stream().map(message -> message.getMessageProperties().getMessageId())
                    .filter(Objects::nonNull).toList(), messages.stream().map(Message::getBody).toList());
        }
    }

    /** Rolls the transaction back and carries the exchange's failure out of it. */
    private static final class DeliveryFailed extends RuntimeException {

        private final Exception cause;

        DeliveryFailed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }
}
