package org.eventstream.orders.health;

import java.sql.Connection;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * A readiness check of one server the bundles depend on (PostgreSQL, RabbitMQ, Redis). It does not count
 * for liveness: a server being down is no reason to restart the process.
 */
public final class ServerHealthCheck extends AbstractHealthCheck {

    /** Returns normally when the server answers; throws, with the reason, when it does not. */
    @FunctionalInterface
    public interface Probe {
        void check() throws Exception;
    }

    private final Probe probe;

    private ServerHealthCheck(String id, Probe probe) {
        super("infrastructure", id);
        this.probe = probe;
    }

    public static ServerHealthCheck postgresql(DataSource dataSource) {
        return new ServerHealthCheck("postgresql", () -> {
            try (Connection connection = dataSource.getConnection()) {
                if (!connection.isValid(2)) {
                    throw new IllegalStateException("connection did not validate within 2s");
                }
            }
        });
    }

    public static ServerHealthCheck rabbitmq(ConnectionFactory connectionFactory) {
        return new ServerHealthCheck("rabbitmq", () -> {
            if (!connectionFactory.createConnection().isOpen()) {
                throw new IllegalStateException("connection is closed");
            }
        });
    }

    public static ServerHealthCheck redis(RedisConnectionFactory connectionFactory) {
        return new ServerHealthCheck("redis", () -> {
            try (RedisConnection connection = connectionFactory.getConnection()) {
                String answer = connection.ping();
                if (!"PONG".equals(answer)) {
                    throw new IllegalStateException("PING was answered with " + answer);
                }
            }
        });
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            probe.check();
            builder.up();
        } catch (Exception e) {
            builder.error(e).message(e.getMessage()).down();
        }
    }
}
