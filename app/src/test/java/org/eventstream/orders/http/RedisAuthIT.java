package org.eventstream.orders.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.eventstream.orders.support.Http;
import org.eventstream.orders.support.RunningBundles;
import org.eventstream.orders.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import redis.clients.jedis.Jedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code redis.user} and {@code redis.password} against the real Redis: an ACL user of this test's own (the default
 * user, which the other tests use, is left alone). With the right password every Redis connection of the bundle is
 * that user's; with a wrong one the bundle starts and is alive, but not ready.
 */
class RedisAuthIT {

    private static final String USER = "order_auth_test";
    private static final String PASSWORD = "secret-" + UUID.randomUUID();

    @BeforeAll
    static void createUser() {
        try (Jedis redis = TestRedis.connect()) {
            redis.aclSetUser(USER, "reset", "on", ">" + PASSWORD, "~*", "+@all");
        }
    }

    @AfterAll
    static void deleteUser() {
        try (Jedis redis = TestRedis.connect()) {
            redis.aclDelUser(USER);
        }
    }

    @Test
    void theBundleConnectsAsTheConfiguredUser() throws Exception {
        try (RunningBundles bundles = RunningBundles.start(Map.of("redis.user", USER, "redis.password", PASSWORD), "orders-api")) {
            Http.Response ready = bundles.http().get("/health/ready?exposureLevel=full");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);

            StringRedisTemplate redis = bundles.runtime().context().getRegistry()
                    .lookupByNameAndType("redisTemplate", StringRedisTemplate.class);
            byte[] whoami = redis.execute((RedisCallback<byte[]>) connection -> (byte[]) connection.execute("ACL", "WHOAMI".getBytes(StandardCharsets.UTF_8)));
            assertThat(new String(whoami, StandardCharsets.UTF_8)).isEqualTo(USER);
        }
    }

    @Test
    void aWrongPasswordLeavesTheBundleAliveButNotReady() throws Exception {
        try (RunningBundles bundles = RunningBundles.start(Map.of("redis.user", USER, "redis.password", "not-" + PASSWORD), "orders-api")) {
            Http http = bundles.http();
            Http.Response ready = http.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body()).contains("redis");
            assertThat(http.get("/health/live").status()).isEqualTo(200);
        }
    }
}
