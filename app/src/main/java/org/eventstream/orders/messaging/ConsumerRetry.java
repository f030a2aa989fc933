package org.eventstream.orders.messaging;

import org.eventstream.orders.observability.ConsumerMetrics;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;

/**
 * The one retry layer of every consumer: Spring AMQP retries a failing delivery in the listener with exponential
 * back-off ({@code consumer.attempts} in all), each attempt a fresh Camel exchange and a fresh transaction, then
 * parks it in its dead-letter queue with {@link DeadLetterRecoverer}. Camel's own redelivery stays off.
 */
public final class ConsumerRetry {

    private ConsumerRetry() {
    }

    public static RetryOperationsInterceptor create(ConnectionFactory connectionFactory, int attempts, long initialMs,
                                                    double multiplier, long maxMs, ConsumerMetrics metrics) {
        if (attempts < 1) {
            throw new IllegalArgumentException("consumer.attempts must be at least 1, was " + attempts);
        }
        return RetryInterceptorBuilder.stateless()
                .maxAttempts(attempts)
                .backOffOptions(initialMs, multiplier, maxMs)
                .recoverer(new DeadLetterRecoverer(new RabbitTemplate(connectionFactory), metrics))
                .build();
    }
}
