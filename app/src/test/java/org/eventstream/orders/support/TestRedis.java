package org.eventstream.orders.support;

import java.util.Set;

import redis.clients.jedis.Jedis;

/** The local Redis as the tests see it: to forget every idempotency key, as after a Redis restart. */
public final class TestRedis {

    private TestRedis() {
    }

    public static long forgetIdempotencyKeys() {
        try (Jedis jedis = new Jedis(System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1"),
                Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379")))) {
            Set<String> keys = jedis.keys("idempotency:*");
            return keys.isEmpty() ? 0 : jedis.del(keys.toArray(String[]::new));
        }
    }
}
