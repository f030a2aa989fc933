package org.eventstream.orders;

import java.util.LinkedHashMap;
import java.util.Map;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.eventstream.orders.health.ServerHealthCheck;
import org.eventstream.orders.http.HttpProblems;
import org.eventstream.orders.messaging.BatchedDeliveries;
import org.eventstream.orders.messaging.ConsumerRetry;
import org.eventstream.orders.observability.ConsumerMetrics;
import org.eventstream.orders.outbox.EventTopology;
import org.eventstream.orders.sql.CountedParametersSqlComponent;
import org.eventstream.orders.sql.DeferredSqlComponent;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
    private final BatchedDeliveries consumers;

    private Infrastructure(HikariDataSource dataSource, EventTopology topology, CachingConnectionFactory rabbit,
                           JedisConnectionFactory redis, ConsumerRetry consumerRetry, ConsumerMetrics consumerMetrics,
                           int batchSize, long batchLingerMs) {
        this.dataSource = dataSource;
        this.transactionManager = new JdbcTransactionManager(dataSource);
        this.topology = topology;
        this.rabbitConnectionFactory = rabbit;
        this.redisConnectionFactory = redis;
        this.consumers = new BatchedDeliveries(new TransactionTemplate(transactionManager), consumerRetry, consumerMetrics,
                batchSize, batchLingerMs);
    }

    public static Infrastructure create(BundleConfiguration config, ConsumerMetrics consumerMetrics) {
        return create(config, "event-stream-orders:" + String.join(",", config.selection().bundles()), consumerMetrics);
    }

    /**
     * @param connectionName  how the RabbitMQ connection shows in the broker's management UI
     * @param consumerMetrics where the consumers' dead-letter recoverer counts what it parks
     */
    public static Infrastructure create(Settings config, String connectionName, ConsumerMetrics consumerMetrics) {
        EventTopology topology = new EventTopology(config.value("outbox.topology.queues"), config.value("rabbitmq.queue-type"));
        CachingConnectionFactory rabbit = rabbit(config, topology, connectionName);
        ConsumerRetry consumerRetry = ConsumerRetry.create(rabbit, config.intValue("consumer.attempts"),
                Long.parseLong(config.value("consumer.backoff.initial-ms")), Double.parseDouble(config.value("consumer.backoff.multiplier")),
                Long.parseLong(config.value("consumer.backoff.max-ms")), consumerMetrics);
        return new Infrastructure(dataSource(config), topology, rabbit, redis(config), consumerRetry, consumerMetrics,
                config.intValue("consumer.batch.size"), Long.parseLong(config.value("consumer.batch.linger-ms")));
    }

    public static HikariDataSource dataSource(Settings config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("orders-db");
        // named, not looked up in DriverManager, which does not see drivers of a child class loader (camel run)
        hikari.setDriverClassName("org.postgresql.Driver");
        hikari.setJdbcUrl(config.value("db.url"));
        hikari.setUsername(config.value("db.user"));
        hikari.setPassword(config.value("db.password"));
        hikari.setMaximumPoolSize(config.intValue("db.pool.max-size"));
        hikari.setConnectionTimeout(config.intValue("db.pool.connection-timeout-ms"));
        // start even when PostgreSQL is down: readiness reports it, and the pool reconnects when it is back
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    private static CachingConnectionFactory rabbit(Settings config, EventTopology topology, String connectionName) {
        CachingConnectionFactory factory = new CachingConnectionFactory(config.value("rabbitmq.host"), config.intValue("rabbitmq.port"));
        factory.setUsername(config.value("rabbitmq.user"));
        factory.setPassword(config.value("rabbitmq.password"));
        factory.setVirtualHost(config.value("rabbitmq.vhost"));
        factory.setConnectionNameStrategy(f -> connectionName);
        // the listeners block on PostgreSQL and Redis: the client's default pool (2 x cores threads, shared by every
        // consumer of the connection) would let only that many deliveries be processed at a time across all queues
        factory.setExecutor(Executors.newFixedThreadPool(config.intValue("rabbitmq.consumer-threads"), consumerThreads()));
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

    private static ThreadFactory consumerThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "amqp-consumer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static JedisConnectionFactory redis(Settings config) {
        RedisStandaloneConfiguration server = new RedisStandaloneConfiguration(config.value("redis.host"), config.intValue("redis.port"));
        server.setDatabase(config.intValue("redis.database"));
        if (!config.value("redis.user").isEmpty()) {
            server.setUsername(config.value("redis.user"));
        }
        if (!config.value("redis.password").isEmpty()) {
            server.setPassword(RedisPassword.of(config.value("redis.password")));
        }
        JedisConnectionFactory factory = new JedisConnectionFactory(server);
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
        // the "sql" scheme: camel-sql without a round trip for parameter metadata before each statement
        CountedParametersSqlComponent sql = new CountedParametersSqlComponent();
        sql.setDataSource(dataSource);
        beans.put("sql", sql);
        // the "sql-deferred" scheme: a write nothing after it reads, batched with its transaction's others at the commit
        DeferredSqlComponent deferred = new DeferredSqlComponent();
        deferred.setDataSource(dataSource);
        beans.put("sql-deferred", deferred);
        beans.put("transactionManager", transactionManager);
        beans.put("PROPAGATION_REQUIRED", required);
        beans.put("eventTopology", topology);
        beans.put("rabbitConnectionFactory", rabbitConnectionFactory);
        beans.put("redisConnectionFactory", redisConnectionFactory);
        beans.put("redisTemplate", redisTemplate);
        // every consumer endpoint: batches of deliveries in one transaction each, retried and parked message by message
        SpringRabbitMQComponent rabbitmq = new SpringRabbitMQComponent();
        rabbitmq.setConnectionFactory(rabbitConnectionFactory);
        rabbitmq.setListenerContainerFactory(consumers);
        beans.put("spring-rabbitmq", rabbitmq);
        beans.put("postgresqlHealthCheck", ServerHealthCheck.postgresql(dataSource));
        beans.put("rabbitmqHealthCheck", ServerHealthCheck.rabbitmq(rabbitConnectionFactory));
        beans.put("redisHealthCheck", ServerHealthCheck.redis(redisConnectionFactory));
        return beans;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /**
     * Hooks the bound beans into the context: the health checks into readiness, problem+json for the requests the HTTP
     * router refuses, and this infrastructure closed when the context stops, after its routes (in-flight work keeps its connections).
     */
    public void hookInto(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        context.getRegistry().findByType(HealthCheck.class).forEach(registry::register);
        try {
            context.addStartupListener((started, alreadyStarted) -> HttpProblems.installOn(started));
            context.addService(this, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot hook into the Camel context", e);
        }
    }

    @Override
    protected void doStop() {
        rabbitConnectionFactory.destroy();
        redisConnectionFactory.destroy();
        dataSource.close();
    }
}
