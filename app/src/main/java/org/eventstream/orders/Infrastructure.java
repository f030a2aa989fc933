package org.eventstream.orders;

import java.util.LinkedHashMap;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.service.ServiceSupport;
import org.eventstream.orders.health.ServerHealthCheck;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * The connections every bundle shares, built once from the {@code db.*}, {@code rabbitmq.*} and {@code redis.*}
 * settings and bound into Camel's registry under the names the routes use; closed when the Camel context stops.
 */
public final class Infrastructure extends ServiceSupport {

    private final HikariDataSource dataSource;
    private final JdbcTransactionManager transactionManager;
    private final CachingConnectionFactory rabbitConnectionFactory;
    private final JedisConnectionFactory redisConnectionFactory;

    private Infrastructure(HikariDataSource dataSource, CachingConnectionFactory rabbit, JedisConnectionFactory redis) {
        this.dataSource = dataSource;
        this.transactionManager = new JdbcTransactionManager(dataSource);
        this.rabbitConnectionFactory = rabbit;
        this.redisConnectionFactory = redis;
    }

    public static Infrastructure create(BundleConfiguration config) {
        return new Infrastructure(dataSource(config), rabbit(config), redis(config));
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

    private static CachingConnectionFactory rabbit(BundleConfiguration config) {
        CachingConnectionFactory factory = new CachingConnectionFactory(config.value("rabbitmq.host"), config.intValue("rabbitmq.port"));
        factory.setUsername(config.value("rabbitmq.user"));
        factory.setPassword(config.value("rabbitmq.password"));
        factory.setVirtualHost(config.value("rabbitmq.vhost"));
        factory.setConnectionNameStrategy(f -> "event-stream-orders:" + String.join(",", config.selection().bundles()));
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
        beans.put("rabbitConnectionFactory", rabbitConnectionFactory);
        beans.put("redisConnectionFactory", redisConnectionFactory);
        beans.put("redisTemplate", redisTemplate);
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
