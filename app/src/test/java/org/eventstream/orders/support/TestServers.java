package org.eventstream.orders.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eventstream.orders.BundleConfiguration;

/**
 * The real servers the tests use: the local PostgreSQL, RabbitMQ and Redis that scripts/local-setup.sh provisions,
 * with a database and a RabbitMQ vhost of their own ({@code order_process_test}, or {@code $TEST_DB_URL} and
 * {@code $TEST_RABBITMQ_VHOST}) so a system running on the same servers is not touched: a test's events left in a
 * queue would otherwise reach that system's consumers, which would find no such order and retry them.
 */
public final class TestServers {

    public static final String DB_URL = env("TEST_DB_URL",
            "jdbc:postgresql://127.0.0.1:5432/order_process_test?stringtype=unspecified");
    public static final String DB_USER = env("DB_USER", "order_user");
    public static final String DB_PASSWORD = env("DB_PASSWORD", "order_password");
    public static final String RABBITMQ_HOST = env("RABBITMQ_HOST", "127.0.0.1");
    public static final int RABBITMQ_PORT = Integer.parseInt(env("RABBITMQ_PORT", "5672"));
    public static final String RABBITMQ_USER = env("RABBITMQ_USER", "order_user");
    public static final String RABBITMQ_PASSWORD = env("RABBITMQ_PASSWORD", "order_password");
    public static final String RABBITMQ_VHOST = env("TEST_RABBITMQ_VHOST", "order_process_test");
    public static final String REDIS_HOST = env("REDIS_HOST", "127.0.0.1");
    public static final int REDIS_PORT = Integer.parseInt(env("REDIS_PORT", "6379"));
    /** The tests' own Redis database, as they have their own PostgreSQL database and vhost. */
    public static final int REDIS_DATABASE = Integer.parseInt(env("TEST_REDIS_DATABASE", "1"));

    private TestServers() {
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * The same settings as environment variables ({@code DB_URL} for {@code db.url}, ...), for a bundle started as a
     * process of its own.
     */
    public static Map<String, String> environment(int httpPort) {
        Map<String, String> environment = new LinkedHashMap<>();
        settings(httpPort).forEach((key, value) -> environment.put(BundleConfiguration.environmentVariable(key), value));
        return environment;
    }

    /** Settings that point a bundle runtime at the test database, the test vhost and a free HTTP port. */
    public static Map<String, String> settings(int httpPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("db.url", DB_URL);
        settings.put("db.user", DB_USER);
        settings.put("db.password", DB_PASSWORD);
        settings.put("rabbitmq.host", RABBITMQ_HOST);
        settings.put("rabbitmq.port", String.valueOf(RABBITMQ_PORT));
        settings.put("rabbitmq.user", RABBITMQ_USER);
        settings.put("rabbitmq.password", RABBITMQ_PASSWORD);
        settings.put("rabbitmq.vhost", RABBITMQ_VHOST);
        settings.put("redis.database", String.valueOf(REDIS_DATABASE));
        settings.put("http.port", String.valueOf(httpPort));
        return settings;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every server as new for the pipeline: empty tables, no idempotency key, empty consumer queues and DLQs. */
    public static void resetPipeline() throws Exception {
        TestDatabase.truncateAll();
        TestRedis.forgetIdempotencyKeys();
        TestQueues.purgeAll();
    }
}
