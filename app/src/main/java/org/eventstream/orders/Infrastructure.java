package org.eventstream.orders;

import java.util.LinkedHashMap;
import java.util.Map;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.eventstream.orders.health.ServerHealthCheck;
import org.eventstream.orders.messaging.ConsumerRetry;
import org.eventstream.orders.observability.ConsumerMetrics;
import org.eventstream.orders.outbox.EventTopology;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The connections every bundle shares, built once from the {@code db.*}, {@code rabbitmq.*}, {@code redis.*} and
 * {@code consumer.*} settings and bound into Camel's registry under the names the routes use; closed when the Camel context stops.
 */
public final class Infrastructure extends ServiceSupport {

    private final HikariDataSource dataSource;
    private final JdbcTransactionManager transactionManager;
    private final EventTopology topology;
    private final CachingConnectionFactory rabbitConnectionFactory;
    private final JedisConnectionFactory redisConnectionFactory;
    private final RetryOperationsInterceptor consumerRetry;

    private Infrastructure(HikariDataSource dataSource, EventTopology topology, CachingConnectionFactory rabbit,
                           JedisConnectionFactory redis, RetryOperationsInterceptor consumerRetry) {
        this.dataSource = dataSource;
        this.transactionManager = new JdbcTransactionManager(dataSource);
        this.topology = topology;
        this.rabbitConnectionFactory = rabbit;
        this.redisConnectionFactory = redis;
        this.consumerRetry = consumerRetry;
    }

    /** @param consumerMetrics where the consumers' dead-letter recoverer counts what it parks */
    public static Infrastructure create(BundleConfiguration config, ConsumerMetrics consumerMetrics) {
        EventTopology topology = new EventTopology(config.value("outbox.topology.queues"), config.value("rabbitmq.queue-type"));
        CachingConnectionFactory rabbit = rabbit(config, topology);
        RetryOperationsInterceptor consumerRetry = ConsumerRetry.create(rabbit, config.intValue("consumer.attempts"),
                Long.parseLong(config.value("consumer.backoff.initial-ms")), Double.parseDouble(config.value("consumer.backoff.multiplier")),
                Long.parseLong(config.value("consumer.backoff.max-ms")), consumerMetrics);
        return new Infrastructure(dataSource(config), topology, rabbit, redis(config), consumerRetry);
    }

    public static HikariDataSource dataSource(BundleConfiguration config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("orders-db");
        hikari.setJdbcUrl(config.value("db.url"));
        hikari.setUsername(config.value("db.user"));
        hikari.setPassword(config.value("db.password"));
        hikari.setMaximumPoolSize(config.intValue("db.pool.max-size"));
        hikari.setConnectionTimeout(config.intValue("db.pool.connection-timeout-ms"));
        // start even when PostgreSQL is down: readiness reports it, and the pool reconnects when it is back
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    private static CachingConnectionFactory rabbit(BundleConfiguration config, EventTopology topology) {
        CachingConnectionFactory factory = new CachingConnectionFactory(config.value("rabbitmq.host"), config.intValue("rabbitmq.port"));
        factory.setUsername(config.value("rabbitmq.user"));
        factory.setPassword(config.value("rabbitmq.password"));
        factory.setVirtualHost(config.value("rabbitmq.vhost"));
        factory.setConnectionNameStrategy(f -> "event-stream-orders:" + String.join(",", config.selection().bundles()));
        // publisher confirms on demand (RabbitTemplate.invoke + waitForConfirmsOrDie), e.g. when dead-lettering
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        // every new connection, the first and each after a broker restart, declares the topology before consumers use it
        factory.addConnectionListener(connection -> {
            try (Channel channel = connection.createChannel(false)) {
                topology.declare(channel);
            } catch (IOException | TimeoutException e) {
                throw new AmqpIOException("cannot declare " + topology, e);
            }
        });
        return factory;
    }

    private static JedisConnectionFactory redis(BundleConfiguration config) {
        JedisConnectionFactory factory = new JedisConnectionFactory(
                new RedisStandaloneConfiguration(config.value("redis.host"), config.intValue("redis.port")));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** The beans by the names the routes and components look them up with. */
    public Map<String, Object> beans() {
        SpringTransactionPolicy required = new SpringTransactionPolicy(transactionManager);
        required.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        StringRedisTemplate redisTemplate = new StringRedisTemplate(redisConnectionFactory);
        redisTemplate.afterPropertiesSet();

        Map<String, Object> beans = new LinkedHashMap<>();
        beans.put("dataSource", dataSource);
        beans.put("transactionManager", transactionManager);
        beans.put("PROPAGATION_REQUIRED", required);
        beans.put("eventTopology", topology);
        beans.put("rabbitConnectionFactory", rabbitConnectionFactory);
        beans.put("redisConnectionFactory", redisConnectionFactory);
        beans.put("redisTemplate", redisTemplate);
        beans.put("consumerRetry", consumerRetry);
        beans.put("postgresqlHealthCheck", ServerHealthCheck.postgresql(dataSource));
        beans.put("rabbitmqHealthCheck", ServerHealthCheck.rabbitmq(rabbitConnectionFactory));
        beans.put("redisHealthCheck", ServerHealthCheck.redis(redisConnectionFactory));
        return beans;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    protected void doStop() {
        rabbitConnectionFactory.destroy();
        redisConnectionFactory.destroy();
        dataSource.close();
    }
}
