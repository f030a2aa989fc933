package org.eventstream.orders.messaging;

import org.eventstream.orders.observability.ConsumerMetrics;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.retry.support.RetryTemplate;

/**
 * The one retry layer of every consumer ({@link BatchedDeliveries}): a delivery that fails is retried with
 * exponential back-off, {@code consumer.attempts} attempts in all, each a fresh Camel exchange in a fresh
 * transaction, then parked in its dead-letter queue with {@link DeadLetterRecoverer}. Camel's own redelivery
 * stays off.
 */
public final class ConsumerRetry {

    /** One attempt at a delivery: its Camel exchange in its own transaction. */
    @FunctionalInterface
    public interface Attempt {
        void run() throws Exception;
    }

    private final RetryTemplate retryTemplate;
    private final MessageRecoverer recoverer;

    ConsumerRetry(RetryTemplate retryTemplate, MessageRecoverer recoverer) {
        this.retryTemplate = retryTemplate;
        this.recoverer = recoverer;
    }

    public static ConsumerRetry create(ConnectionFactory connectionFactory, int attempts, long initialMs,
                                       double multiplier, long maxMs, ConsumerMetrics metrics) {
        if (attempts < 1) {
            throw new IllegalArgumentException("consumer.attempts must be at least 1, was " + attempts);
        }
        RetryTemplate template = RetryTemplate.builder()
                .maxAttempts(attempts)
                .exponentialBackoff(initialMs, multiplier, maxMs)
                .build();
        return new ConsumerRetry(template, new DeadLetterRecoverer(new RabbitTemplate(connectionFactory), metrics));
    }

    /**
     * Delivers {@code message} until an attempt succeeds or the attempts run out, then parks it. A
     * {@code firstFailure} (its attempt in a batch that was rolled back) counts as the first attempt: the back-off
     * follows it and only the remaining attempts are made.
     */
    public void deliver(Message message, Exception firstFailure, Attempt attempt) throws Exception {
        retryTemplate.execute(context -> {
            if (context.getRetryCount() == 0 && firstFailure != null) {
                throw firstFailure;
            }
            attempt.run();
            return null;
        }, context -> {
            recoverer.recover(message, context.getLastThrowable());
            return null;
        });
    }
}
