package org.eventstream.orders.support;

import java.util.Set;

import redis.clients.jedis.Jedis;

/** The local Redis as the tests see it: a connection, and to forget every idempotency key, as after a Redis restart. */
public final class TestRedis {

    private TestRedis() {
    }

    /** A connection of the test's own; close it. */
    public static Jedis connect() {
        return new Jedis(TestServers.REDIS_HOST, TestServers.REDIS_PORT);
    }

    public static long forgetIdempotencyKeys() {
        try (Jedis jedis = connect()) {
            Set<String> keys = jedis.keys("idempotency:*");
            return keys.isEmpty() ? 0 : jedis.del(keys.toArray(String[]::new));
        }
    }
}
