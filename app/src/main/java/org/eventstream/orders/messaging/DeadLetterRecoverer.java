package org.eventstream.orders.messaging;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eventstream.orders.observability.ConsumerMetrics;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.RepublishMessageRecovererWithConfirms;
import org.springframework.expression.common.LiteralExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Parks a message whose retries are exhausted in its queue's dead-letter queue: republished to {@code events.dlx}
 * with the queue's name as routing key (so it lands in {@code <queue>.dlq}), waiting for the broker's confirm
 * before the original is acked. Headers say why: {@code x-exception-class}, {@code x-exception-message} (of the
 * root cause), {@code x-original-queue}, {@code x-original-routingKey}, {@code x-failed-at}, and the stack trace.
 * Each one counts as {@code dead_lettered} in {@link ConsumerMetrics}.
 */
public class DeadLetterRecoverer extends RepublishMessageRecovererWithConfirms {

    public static final String DEAD_LETTER_EXCHANGE = "events.dlx";
    public static final String EXCEPTION_CLASS = "x-exception-class";
    public static final String ORIGINAL_QUEUE = "x-original-queue";
    public static final String FAILED_AT = "x-failed-at";

    private final ConsumerMetrics metrics;

    public DeadLetterRecoverer(RabbitTemplate template, ConsumerMetrics metrics) {
        super(template, new LiteralExpression(DEAD_LETTER_EXCHANGE),
                new SpelExpressionParser().parseExpression("messageProperties.consumerQueue"),
                CachingConnectionFactory.ConfirmType.SIMPLE);
        this.metrics = metrics;
    }

    @Override
    public void recover(Message message, Throwable cause) {
        super.recover(message, cause);
        metrics.deadLettered(message.getMessageProperties().getConsumerQueue());
    }

    @Override
    protected Map<? extends String, ?> additionalHeaders(Message message, Throwable cause) {
        Throwable root = rootCause(cause);
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put(EXCEPTION_CLASS, root.getClass().getName());
        headers.put(X_EXCEPTION_MESSAGE, String.valueOf(root.getMessage()));
        headers.put(ORIGINAL_QUEUE, message.getMessageProperties().getConsumerQueue());
        headers.put(FAILED_AT, Instant.now().toString());
        return headers;
    }

    /** The listener wraps Camel's exception, which wraps the route's: the innermost one says what went wrong. */
    static Throwable rootCause(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
